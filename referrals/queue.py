"""The staff queue: referrals go in, staff claim, contact, answer, note, hand on and close them.

A :class:`ReferralQueue` works inside the caller's unit of work (``ReferralQueue(uow.referrals)``)
and never commits: a referral is committed with the turn that created it, a claim with the staff
action that made it. Every move is checked against ``referrals.lifecycle`` and leaves a line in
the referral's audit trail with the staff member (their ``staff_members`` id) and the time.

Concurrency: each move first locks the referral's row and decides on what it reads then. On
PostgreSQL that is ``SELECT … FOR UPDATE``: when two staff press Claim at once the second waits
for the first to commit and then sees the claim, so exactly one wins and the other learns who
has it; two processes re-alerting at once both find a referral due, but the second re-reads it
after the lock and sees it was alerted just now. ``claim_next`` uses ``FOR UPDATE SKIP LOCKED``
so that concurrent staff each get a different referral. On SQLite the project's sessions begin
every transaction with ``BEGIN IMMEDIATE`` (``bot.storage.database``), which serialises
writers, so the same code is safe there.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from referrals import erasure, lifecycle
from referrals.lifecycle import Action, EventKind, Status
from referrals.store import ReferralRecord, ReferralStore

NOTE_MAX = 4000
LIMITS = {"topic": 32, "channel": 16, "municipality": 64, "age_band": 16, "gender": 16,
          "contact": 64, "partner": 120, "opportunity_id": 64, "opportunity_title": 200}
"""The longest value each short text field takes (the columns' sizes)."""
_PRIORITIES = tuple(level.value for level in lifecycle.PRIORITY_ORDER)
_OPEN = tuple(sorted(lifecycle.OPEN))
_HELD = tuple(sorted(lifecycle.HELD))


class ReferralNotFound(LookupError):
    """No referral has that id (a stale button, a mistyped id)."""


@dataclass(frozen=True)
class ClaimResult:
    """``won``: this staff member has the referral now. Otherwise ``holder`` (a staff member's
    id) has it, or nobody does and ``status`` says why: it was closed or withdrawn."""

    won: bool
    referral: ReferralRecord
    holder: int | None

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


class ReferralQueue:
    def __init__(self, store: ReferralStore, clock: Callable[[], datetime] = _utcnow) -> None:
        self._store = store
        self._clock = clock

    async def create(
        self, *, user_id: int | None, channel: str, topic: str,
        priority: str = lifecycle.Priority.NORMAL, municipality: str | None = None,
        age_band: str | None = None, gender: str | None = None, contact: str | None = None,
        summary: str | None = None, answers: dict[str, Any] | None = None,
        opportunity_id: str | None = None, opportunity_title: str | None = None,
        partner: str | None = None,
    ) -> ReferralRecord:
        """A new referral in the queue, with its "created" line in the audit trail;
        ``opportunity_…``: the catalogue's opportunity it is about, and its title then;
        ``partner``: the organisation it goes to, named by the consent (``partner_consent``)."""
        now = self._clock()
        level = lifecycle.priority(priority)
        referral = self._store.create(
            user_id=user_id, channel=_text("channel", channel, required=True),
            topic=_text("topic", topic, required=True), priority=level.value,
            status=Status.NEW.value, municipality=_text("municipality", municipality),
            age_band=_text("age_band", age_band), gender=_text("gender", gender),
            contact=_text("contact", contact), summary=(summary or "").strip() or None,
            answers=dict(answers or {}), created_at=now, updated_at=now, alerts=0,
            opportunity_id=_text("opportunity_id", opportunity_id),
            opportunity_title=_text("opportunity_title", opportunity_title),
            partner=_text("partner", partner), partner_consent=_text("partner", partner),
        )
        await self._store.flush()
        self._store.record(referral, EventKind.CREATED, now, detail=level.value)
        return referral

    # What staff and the young person's side look up.

    async def get(self, referral_id: int) -> ReferralRecord | None:
        referral: ReferralRecord | None = await self._store.get(referral_id)
        return referral

    async def open_in_order(self, partner: str | None = None) -> Sequence[ReferralRecord]:
        """Every open referral, most pressing first, then oldest first (only those routed to
        ``partner`` if given)."""
        return await self._store.in_order(_OPEN, _PRIORITIES, partner)

    async def open_for_user(self, user_id: int) -> ReferralRecord | None:
        """The user's referral that staff still have to act on, if there is one."""
        referral: ReferralRecord | None = await self._store.newest_for_user(user_id, _OPEN)
        return referral

    async def latest_for_user(self, user_id: int) -> ReferralRecord | None:
        """The user's newest referral, whatever its status (the answers they gave last)."""
        referral: ReferralRecord | None = await self._store.newest_for_user(
            user_id, tuple(status.value for status in Status))
        return referral

    async def last_closed_for_user(self, user_id: int) -> ReferralRecord | None:
        referral: ReferralRecord | None = await self._store.newest_for_user(
            user_id, (Status.CLOSED.value,), by="closed_at")
        return referral

    # Staff moves.

    async def claim(self, referral_id: int, member_id: int) -> ClaimResult:
        """Claim one referral: exactly one of several staff pressing Claim at once wins."""
        referral = await self._locked(referral_id)
        if referral.status in lifecycle.HELD and referral.claimed_by_id == member_id:
            return ClaimResult(True, referral, member_id)  # pressed twice
        if not lifecycle.allowed(referral.status, Action.CLAIM):
            return ClaimResult(False, referral, referral.claimed_by_id)
        self._hold(referral, member_id, Action.CLAIM, member_id)
        return ClaimResult(True, referral, member_id)

    async def claim_next(self, member_id: int) -> ReferralRecord | None:
        """Claim the oldest of the most pressing unclaimed referrals; None when there is none.
        Staff calling this at the same moment each get a different referral."""
        referral = await self._store.next_locked(Status.NEW.value, _PRIORITIES)
        if referral is None:
            return None
        self._hold(referral, member_id, Action.CLAIM, member_id)
        return referral

    async def unclaim(self, referral_id: int, member_id: int) -> ReferralRecord:
        """Give a claimed referral back to the queue (new again, nobody holds it); the audit
        line names the one who had it when that was someone else."""
        referral = await self._locked(referral_id)
        holder = referral.claimed_by_id
        status = lifecycle.transition(referral.status, Action.UNCLAIM)
        now = self._clock()
        referral.status, referral.claimed_by_id, referral.updated_at = status.value, None, now
        detail = None if holder in (None, member_id) else str(holder)
        self._store.record(referral, EventKind.UNCLAIMED, now, member_id, detail)
        return referral

    async def reassign(
        self, referral_id: int, member_id: int, to_member_id: int, partner: str | None = None,
    ) -> ReferralRecord:
        """Hand the referral to ``to_member_id`` (an unclaimed one is assigned); ``partner``:
        it is routed to that partner organisation too."""
        referral = await self._locked(referral_id)
        lifecycle.transition(referral.status, Action.REASSIGN)
        self._hold(referral, to_member_id, Action.REASSIGN, member_id)
        if partner is not None:
            referral.partner = _text("partner", partner)
        return referral

    def _hold(self, referral: ReferralRecord, holder: int, action: Action, by: int) -> None:
        now = self._clock()
        referral.status = lifecycle.transition(referral.status, action).value
        referral.claimed_by_id, referral.claimed_at, referral.updated_at = holder, now, now
        detail = None if holder == by else str(holder)
        self._store.record(referral, lifecycle.EVENT_OF[action], now, by, detail)

    async def mark_contacted(self, referral_id: int, member_id: int) -> ReferralRecord:
        """Staff reached the young person (by chat or phone)."""
        referral, now = await self._move(referral_id, member_id, Action.CONTACT)
        referral.contacted_at = now
        return referral

    async def record_answer(self, referral_id: int, member_id: int) -> ReferralRecord:
        """A staff answer went to the young person; the first one's time is kept, and the
        latest's. The answer's text is not kept here (it is in the message log, erased with
        the user's data)."""
        referral, now = await self._move(referral_id, member_id, Action.ANSWER)
        if referral.first_answer_at is None:
            referral.first_answer_at = now
        referral.last_answer_at = now
        return referral

    async def note(self, referral_id: int, member_id: int, text: str) -> ReferralRecord:
        """A staff note. Its text may be personal: it is kept in the event's ``note``, which is
        erased when the young person deletes their data, never in ``detail``."""
        text = text.strip()
        if not text:
            raise ValueError("empty note")
        referral, _ = await self._move(referral_id, member_id, Action.NOTE,
                                       note=text[:NOTE_MAX])
        return referral

    async def close(
        self, referral_id: int, member_id: int, outcome: str, partner: str | None = None
    ) -> ReferralRecord:
        """Close a claimed or contacted referral with an outcome code and, if it went on to a
        partner organisation, that organisation's name."""
        code = lifecycle.outcome(outcome)
        partner = _text("partner", partner)
        detail = code.value if partner is None else f"{code.value} > {partner}"
        referral, now = await self._move(referral_id, member_id, Action.CLOSE, detail=detail)
        referral.outcome, referral.closed_at = code.value, now
        referral.partner = partner or referral.partner
        return referral

    async def withdraw_for_user(self, user_id: int) -> list[ReferralRecord]:
        """The young person deleted their data: see ``referrals.erasure``."""
        return await erasure.erase_for_user(self._store, user_id, self._clock())

    # Timers: unclaimed referrals alerted again, claimed ones with no answer reminded.

    async def due_for_realert(self, now: datetime | None = None) -> list[ReferralRecord]:
        """Unclaimed referrals whose next alert is due: urgent ones 15 minutes after creation,
        then 30, 60 … minutes after each alert; the others after 24 hours, then 48 …"""
        now = now or self._clock()
        earliest = {level.value: now - lifecycle.realert_delay(level, 0)
                    for level in lifecycle.Priority}
        found = await self._store.quiet_since((Status.NEW.value,), earliest, ("created_at",))
        return [referral for referral in found if _realert_due(referral, now)]

    async def realert_if_due(self, referral_id: int, now: datetime | None = None
                             ) -> ReferralRecord | None:
        """Record a re-alert if it is still due once the row is locked (None: it is not, e.g.
        another process alerted or a colleague claimed it meanwhile)."""
        now = now or self._clock()
        referral = await self._locked(referral_id)
        if not lifecycle.allowed(referral.status, Action.REALERT) or not _realert_due(
                referral, now):
            return None
        return await self.mark_alerted(referral_id, now)

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

    async def due_for_reminder(self, now: datetime | None = None) -> Sequence[ReferralRecord]:
        """Claimed referrals whose young person has had no staff answer for a while (24
        hours; 4 for urgent ones) since the claim, the last answer or the last reminder."""
        now = now or self._clock()
        before = {level.value: now - wait for level, wait in lifecycle.REMIND_AFTER.items()}
        return await self._store.quiet_since(
            _HELD, before, ("claimed_at", "last_answer_at", "reminded_at"))

    async def remind_if_due(self, referral_id: int, now: datetime | None = None
                            ) -> ReferralRecord | None:
        """Record a reminder if one is still due once the row is locked (None otherwise)."""
        now = now or self._clock()
        referral = await self._locked(referral_id)
        if (not lifecycle.allowed(referral.status, Action.REMIND) or referral.claimed_at is None
                or lifecycle.reminder_due_at(referral.priority, referral.claimed_at,
                                             referral.last_answer_at,
                                             referral.reminded_at) > now):
            return None
        referral.reminded_at = now
        self._store.record(referral, EventKind.REMINDED, now, referral.claimed_by_id)
        return referral

    async def _move(
        self, referral_id: int, member_id: int, action: Action, *, detail: str | None = None,
        note: str | None = None,
    ) -> tuple[ReferralRecord, datetime]:
        referral = await self._locked(referral_id)
        status = lifecycle.transition(referral.status, action)
        now = self._clock()
        referral.status, referral.updated_at = status.value, now
        self._store.record(referral, lifecycle.EVENT_OF[action], now, member_id, detail, note)
        return referral, now

    async def _locked(self, referral_id: int) -> ReferralRecord:
        referral = await self._store.get_locked(referral_id)
        if referral is None:
            raise ReferralNotFound(referral_id)
        return referral


def _realert_due(referral: ReferralRecord, now: datetime) -> bool:
    return lifecycle.realert_due_at(referral.priority, referral.created_at,
                                    referral.last_alert_at, referral.alerts) <= now
