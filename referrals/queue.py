"""The staff queue: referrals go in, staff claim, contact, answer, note and close them.

A :class:`ReferralQueue` works inside the caller's unit of work (``ReferralQueue(uow.referrals)``)
and never commits: a referral is committed with the turn that created it, a claim with the staff
action that made it. Every move is checked against ``referrals.lifecycle`` and leaves a line in
the referral's audit trail with the staff member's id and the time.

Concurrency: each move first locks the referral's row. On PostgreSQL that is ``SELECT … FOR
UPDATE``: when two staff press Claim at once the second waits for the first to commit and then
sees the claim, so exactly one wins and the other learns who has it. ``claim_next`` uses ``FOR
UPDATE SKIP LOCKED`` so that concurrent staff each get a different referral. On SQLite the
project's sessions begin every transaction with ``BEGIN IMMEDIATE`` (``bot.storage.database``),
which serialises writers, so the same code is safe there.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from referrals import lifecycle
from referrals.lifecycle import Action, EventKind, Status

STAFF_ID_MAX = 64
NOTE_MAX = 4000
LIMITS = {"topic": 32, "channel": 16, "municipality": 64, "age_band": 16, "gender": 16,
          "contact": 64, "partner": 120}
"""The longest value each short text field takes (the columns' sizes)."""


class ReferralRecord(Protocol):
    """What the queue reads and changes on a stored referral (``bot.storage.models.Referral``)."""

    id: int
    user_id: int | None
    topic: str
    priority: str
    status: str
    channel: str
    outcome: str | None
    partner: str | None
    claimed_by: str | None
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None
    contacted_at: datetime | None
    first_answer_at: datetime | None
    closed_at: datetime | None
    last_alert_at: datetime | None
    alerts: int


class ReferralStore(Protocol):
    """The unit of work's referral repository (``bot.storage.repositories.ReferralRepository``)."""

    def create(self, **fields: Any) -> Any: ...

    async def flush(self) -> None: ...

    def record(
        self, referral: Any, kind: str, at: datetime, staff_id: str | None = None,
        detail: str | None = None, note: str | None = None,
    ) -> object: ...

    async def get_locked(self, referral_id: int) -> Any: ...

    async def next_new_locked(self) -> Any: ...

    async def unclaimed_since(self, before: dict[str, datetime]) -> Sequence[Any]: ...

    async def withdraw_for_user(self, user_id: int, at: datetime) -> list[Any]: ...


class ReferralNotFound(LookupError):
    """No referral has that id (a stale button, a mistyped id)."""


@dataclass(frozen=True)
class ClaimResult:
    """``won``: this staff member has the referral now. Otherwise ``holder`` has it (or nobody
    does and ``status`` says why: it was closed or withdrawn)."""

    won: bool
    referral: ReferralRecord
    holder: str | None

    @property
    def status(self) -> str:
        return self.referral.status


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _text(name: str, value: str | None, *, required: bool = False) -> str | None:
    value = value.strip() if value is not None else None
    if not value:
        if required:
            raise ValueError(f"{name} is empty")
        return None
    if len(value) > LIMITS[name]:
        raise ValueError(f"{name} longer than {LIMITS[name]}")
    return value


def _staff(staff_id: str) -> str:
    staff_id = str(staff_id).strip()
    if not staff_id or len(staff_id) > STAFF_ID_MAX:
        raise ValueError(f"bad staff id {staff_id[:80]!r}")
    return staff_id


class ReferralQueue:
    def __init__(self, store: ReferralStore, clock: Callable[[], datetime] = _utcnow) -> None:
        self._store = store
        self._clock = clock

    async def create(
        self, *, user_id: int | None, channel: str, topic: str,
        priority: str = lifecycle.Priority.NORMAL, municipality: str | None = None,
        age_band: str | None = None, gender: str | None = None, contact: str | None = None,
        summary: str | None = None, answers: dict[str, Any] | None = None,
    ) -> ReferralRecord:
        """A new referral in the queue, with its "created" line in the audit trail."""
        now = self._clock()
        level = lifecycle.priority(priority)
        referral = self._store.create(
            user_id=user_id, channel=_text("channel", channel, required=True),
            topic=_text("topic", topic, required=True), priority=level.value,
            status=Status.NEW.value, municipality=_text("municipality", municipality),
            age_band=_text("age_band", age_band), gender=_text("gender", gender),
            contact=_text("contact", contact), summary=(summary or "").strip() or None,
            answers=dict(answers or {}), created_at=now, updated_at=now, alerts=0,
        )
        await self._store.flush()
        self._store.record(referral, EventKind.CREATED, now, detail=level.value)
        return referral

    async def claim(self, referral_id: int, staff_id: str) -> ClaimResult:
        """Claim one referral: exactly one of several staff pressing Claim at once wins."""
        staff_id = _staff(staff_id)
        referral = await self._locked(referral_id)
        if referral.status == Status.CLAIMED and referral.claimed_by == staff_id:
            return ClaimResult(True, referral, staff_id)  # pressed twice
        if not lifecycle.allowed(referral.status, Action.CLAIM):
            return ClaimResult(False, referral, referral.claimed_by)
        self._claim(referral, staff_id)
        return ClaimResult(True, referral, staff_id)

    async def claim_next(self, staff_id: str) -> ReferralRecord | None:
        """Claim the oldest of the most pressing unclaimed referrals; None when there is none.
        Staff calling this at the same moment each get a different referral."""
        staff_id = _staff(staff_id)
        referral = await self._store.next_new_locked()
        if referral is None:
            return None
        self._claim(referral, staff_id)
        return referral

    def _claim(self, referral: ReferralRecord, staff_id: str) -> None:
        now = self._clock()
        referral.status = lifecycle.transition(referral.status, Action.CLAIM).value
        referral.claimed_by, referral.claimed_at, referral.updated_at = staff_id, now, now
        self._store.record(referral, EventKind.CLAIMED, now, staff_id)

    async def mark_contacted(self, referral_id: int, staff_id: str) -> ReferralRecord:
        """Staff reached the young person (by chat or phone)."""
        referral, now = await self._move(referral_id, staff_id, Action.CONTACT)
        referral.contacted_at = now
        return referral

    async def record_answer(self, referral_id: int, staff_id: str) -> ReferralRecord:
        """A staff answer went to the young person; the first one's time is kept. The answer's
        text is not kept here (it is in the message log, erased with the user's data)."""
        referral, now = await self._move(referral_id, staff_id, Action.ANSWER)
        if referral.first_answer_at is None:
            referral.first_answer_at = now
        return referral

    async def note(self, referral_id: int, staff_id: str, text: str) -> ReferralRecord:
        """A staff note. Its text may be personal: it is kept in the event's ``note``, which is
        erased when the young person deletes their data, never in ``detail``."""
        text = text.strip()
        if not text:
            raise ValueError("empty note")
        referral, _ = await self._move(referral_id, staff_id, Action.NOTE,
                                       note=text[:NOTE_MAX])
        return referral

    async def close(
        self, referral_id: int, staff_id: str, outcome: str, partner: str | None = None
    ) -> ReferralRecord:
        """Close a claimed or contacted referral with an outcome code and, if it went on to a
        partner organisation, that organisation's name."""
        code = lifecycle.outcome(outcome)
        partner = _text("partner", partner)
        detail = code.value if partner is None else f"{code.value} > {partner}"
        referral, now = await self._move(referral_id, staff_id, Action.CLOSE, detail=detail)
        referral.outcome, referral.partner, referral.closed_at = code.value, partner, now
        return referral

    async def withdraw_for_user(self, user_id: int) -> list[ReferralRecord]:
        """The young person deleted their data: their open referrals are withdrawn; all of
        theirs lose their personal fields and staff notes. The audit keeps no personal data."""
        return await self._store.withdraw_for_user(user_id, self._clock())

    async def due_for_realert(self, now: datetime | None = None) -> list[ReferralRecord]:
        """Unclaimed referrals whose next alert is due: urgent ones 15 minutes after creation,
        then 30, 60 … minutes after each alert; the others after 24 hours, then 48 …"""
        now = now or self._clock()
        earliest = {level.value: now - lifecycle.realert_delay(level, 0)
                    for level in lifecycle.Priority}
        return [
            referral for referral in await self._store.unclaimed_since(earliest)
            if lifecycle.realert_due_at(referral.priority, referral.created_at,
                                        referral.last_alert_at, referral.alerts) <= now
        ]

    async def mark_alerted(
        self, referral_id: int, now: datetime | None = None
    ) -> ReferralRecord:
        """Staff were alerted again about this unclaimed referral."""
        now = now or self._clock()
        referral = await self._locked(referral_id)
        lifecycle.transition(referral.status, Action.REALERT)
        referral.alerts += 1
        referral.last_alert_at, referral.updated_at = now, now
        self._store.record(referral, EventKind.REALERTED, now, detail=str(referral.alerts))
        return referral

    async def _move(
        self, referral_id: int, staff_id: str, action: Action, *, detail: str | None = None,
        note: str | None = None,
    ) -> tuple[ReferralRecord, datetime]:
        staff_id = _staff(staff_id)
        referral = await self._locked(referral_id)
        status = lifecycle.transition(referral.status, action)
        now = self._clock()
        referral.status, referral.updated_at = status.value, now
        self._store.record(referral, lifecycle.EVENT_OF[action], now, staff_id, detail, note)
        return referral, now

    async def _locked(self, referral_id: int) -> ReferralRecord:
        referral = await self._store.get_locked(referral_id)
        if referral is None:
            raise ReferralNotFound(referral_id)
        return referral
