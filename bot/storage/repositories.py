"""Repositories: the handlers' and engine's only way to read and write rows.

Each takes the unit of work's session; none commits (the unit of work does, once per turn).
Rows that are only ever appended (the message log, the outbox) are kept until the commit and
written then with one Core INSERT per table: cheaper than the ORM's unit of work, and one round
trip for all of a turn's rows.

The statements run for every message are built once, below, with bound parameters: building a
statement and its cache key costs more than sending it, and SQLAlchemy memoises the cache key
of a statement that is used again.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Table, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from bot.messages import Choice, Outbound
from bot.storage.models import (
    Campaign,
    CampaignEvent,
    ConversationState,
    MessageLogEntry,
    OutboxMessage,
    ProcessedDelivery,
    Referral,
    ReferralEvent,
    User,
    utcnow,
)

_UNSENT = (OutboxMessage.sent_at.is_(None), OutboxMessage.abandoned_at.is_(None))
_outbox = OutboxMessage.__table__
_USER_WITH_STATE = (
    select(User)
    .options(joinedload(User.state))
    .where(User.channel == bindparam("channel"), User.address == bindparam("address"))
    .with_for_update(of=User)
)
_CLAIM_DELIVERY = {
    name: dialect.insert(ProcessedDelivery.__table__).on_conflict_do_nothing()
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_LEASE_NEXT = (
    update(_outbox)
    .where(
        _outbox.c.id == select(func.min(_outbox.c.id)).where(
            _outbox.c.channel == bindparam("chat_channel"),
            _outbox.c.address == bindparam("chat_address"),
            _outbox.c.sent_at.is_(None), _outbox.c.abandoned_at.is_(None),
        ).scalar_subquery(),
        _outbox.c.held_reason.is_(None),
        or_(_outbox.c.lease_until.is_(None), _outbox.c.lease_until < bindparam("now")),
    )
    .values(lease_until=bindparam("until"))
    .returning(*_outbox.c)
)
_SETTLE = (
    update(_outbox)
    .where(_outbox.c.id == bindparam("message_id"))
    .values(attempts=_outbox.c.attempts + 1, lease_until=None)
)
"""An attempt is over; the caller's parameters say how (``sent_at``, ``last_error``, ...)."""


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_id(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def by_id_locked(self, user_id: int) -> User | None:
        """The user row with their conversation state, locked until the transaction ends
        (PostgreSQL), as a turn locks it."""
        query = (select(User).options(joinedload(User.state)).where(User.id == user_id)
                 .with_for_update(of=User))
        return (await self._session.execute(query)).scalar_one_or_none()

    async def get(self, channel: str, address: str) -> User | None:
        query = select(User).where(User.channel == channel, User.address == address)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def get_locked(self, channel: str, address: str) -> User | None:
        """The user row with their conversation state, in one query; the user's row is locked
        against other processes until the turn commits (PostgreSQL)."""
        found = await self._session.execute(
            _USER_WITH_STATE, {"channel": channel, "address": address})
        return found.scalar_one_or_none()

    async def get_or_create_locked(
        self, channel: str, address: str, locale: str
    ) -> tuple[User, bool]:
        """The user and whether this call created them; safe when two processes race."""
        user = await self.get_locked(channel, address)
        if user is not None:
            return user, False
        now = utcnow()
        insert = (
            _insert_for(self._session)(User)
            .values(channel=channel, address=address, locale=locale, created_at=now,
                    last_seen_at=now)
            .on_conflict_do_nothing()
            .returning(User)
        )
        user = (await self._session.scalars(insert)).one_or_none()
        if user is not None:  # ours, and locked: nobody else sees it before the commit
            set_committed_value(user, "state", None)
            return user, True
        user = await self.get_locked(channel, address)  # another process created it just now
        assert user is not None
        return user, False

    async def delete_with_history(self, user: User) -> None:
        """Erase the user, their conversation state, message log and delivered replies; their
        open referrals are withdrawn and every referral of theirs loses its personal fields."""
        await self._session.execute(delete(MessageLogEntry).where(MessageLogEntry.user_id == user.id))
        await self._session.execute(
            delete(ConversationState).where(ConversationState.user_id == user.id)
        )
        await self._session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.user_id == user.id, OutboxMessage.sent_at.is_not(None)
            )
        )
        await ReferralRepository(self._session).withdraw_for_user(user.id, utcnow())
        await self._session.execute(
            update(Referral).where(Referral.user_id == user.id).values(user_id=None)
        )
        await self._session.delete(user)
        await self._session.flush()

    async def mark_unreachable(self, channel: str, address: str) -> None:
        """The platform says this user blocked the bot: nothing more is sent until they write."""
        await self._session.execute(
            update(User)
            .where(User.channel == channel, User.address == address)
            .values(unreachable_at=utcnow())
        )
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == channel, OutboxMessage.address == address, *_UNSENT)
            .values(abandoned_at=utcnow(), last_error="unreachable")
        )


class StateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_user(self, user: User) -> ConversationState:
        """The user's state (loaded with the user), created on their first turn."""
        state = user.state
        if state is None:
            state = ConversationState(user_id=user.id, offered=[], data={})
            self._session.add(state)
        return state


class MessageLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: list[dict[str, Any]] = []

    def record(
        self, user: User, direction: str, text: str, *, choice_id: str | None = None,
        route: str | None = None,
    ) -> None:
        self._rows.append({"user_id": user.id, "direction": direction, "text": text,
                           "choice_id": choice_id, "route": route, "created_at": utcnow()})

    async def write(self) -> None:
        """Insert what was recorded since the last write (the unit of work's commit calls it)."""
        await _insert_in_order(self._session, MessageLogEntry.__table__, self._rows)
        self._rows = []


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, channel: str, delivery_id: str) -> bool:
        """Record a platform delivery; False if it was recorded before (a redelivery)."""
        insert = _CLAIM_DELIVERY[self._session.get_bind().dialect.name]
        row = {"channel": channel, "delivery_id": delivery_id, "created_at": utcnow()}
        result = await self._session.execute(insert, row)
        return bool(result.rowcount)  # type: ignore[attr-defined]


class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: list[dict[str, Any]] = []

    def put(
        self, channel: str, address: str, user: User | None, reply: Outbound,
        referral_id: int | None = None,
    ) -> None:
        """Queue a reply; it is written (with ids in the order of ``put``) by :meth:`write`."""
        self._rows.append({
            "channel": channel, "address": address, "user_id": user.id if user else None,
            "text": reply.text, "choices": [[c.id, c.label] for c in reply.choices],
            "created_at": utcnow(), "referral_id": referral_id, "thread": reply.thread,
        })

    async def write(self) -> None:
        """Insert the replies put since the last write (the unit of work's commit calls it)."""
        await _insert_in_order(self._session, OutboxMessage.__table__, self._rows)
        self._rows = []

    async def referral_of_message(
        self, channel: str, address: str, provider_id: str
    ) -> int | None:
        """The referral a sent message was about (a staff reply to it names it)."""
        query = select(OutboxMessage.referral_id).where(
            OutboxMessage.channel == channel, OutboxMessage.address == address,
            OutboxMessage.provider_id == provider_id,
        )
        return (await self._session.execute(query)).scalar_one_or_none()

    async def claim_next(
        self, channel: str, address: str, lease: timedelta
    ) -> Row[Any] | None:
        """Lease the chat's oldest undelivered reply (a row with every outbox column); None
        when there is none, when it is leased already (then its sender keeps the chat's order)
        or held (the chat waits for the user to write). One atomic statement, so two processes
        never claim the same reply."""
        now = utcnow()
        claimed = await self._session.execute(
            _LEASE_NEXT,
            {"chat_channel": channel, "chat_address": address, "now": now, "until": now + lease},
        )
        return claimed.one_or_none()

    async def readdress(self, channel: str, old: str, new: str) -> None:
        """Undelivered replies to a chat that moved go to its new address."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == channel, OutboxMessage.address == old,
                   OutboxMessage.sent_at.is_(None))
            .values(address=new)
        )

    async def pending_addresses(self, channel: str, limit: int = 500) -> list[str]:
        query = (
            select(OutboxMessage.address)
            .where(OutboxMessage.channel == channel, *_UNSENT)
            .group_by(OutboxMessage.address)
            .having(func.count(OutboxMessage.held_reason) == 0)  # a held chat waits for the user
            .order_by(func.min(OutboxMessage.id))
            .limit(limit)
        )
        return list((await self._session.execute(query)).scalars().all())

    async def mark_sent(self, message_id: int, provider_id: str | None = None) -> None:
        await self._session.execute(_SETTLE, {"message_id": message_id, "sent_at": utcnow(),
                                              "provider_id": provider_id})

    async def update_status(self, message: OutboxMessage, status: str, error_code: str | None,
                            *, requeue: bool = False) -> None:
        """What the platform reported for a sent message; ``requeue`` sends it again."""
        message.status, message.error_code = status[:16], (error_code or None)
        if requeue:
            message.sent_at, message.provider_id = None, None

    async def hold(self, channel: str, address: str, reason: str) -> None:
        """Keep the chat's undelivered replies until the user writes (see :meth:`release`)."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == channel, OutboxMessage.address == address,
                   *_UNSENT, OutboxMessage.held_reason.is_(None))
            .values(held_reason=reason[:64], lease_until=None)
        )

    async def release(self, channel: str, address: str) -> int:
        """The user wrote: their held replies may go (first, being oldest). Returns how many."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == channel, OutboxMessage.address == address,
                   *_UNSENT, OutboxMessage.held_reason.is_not(None))
            .values(held_reason=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def has_held(self, channel: str, address: str) -> bool:
        return await self._held_reason(channel, address) is not None

    async def join_held(self, channel: str, address: str) -> None:
        """Replies written after the chat's replies were held wait with them, for the same
        reason (so staff see why each one waits)."""
        reason = await self._held_reason(channel, address)
        if reason is not None:
            await self.hold(channel, address, reason)

    async def _held_reason(self, channel: str, address: str) -> str | None:
        query = select(OutboxMessage.held_reason).where(
            OutboxMessage.channel == channel, OutboxMessage.address == address, *_UNSENT,
            OutboxMessage.held_reason.is_not(None),
        ).order_by(OutboxMessage.id).limit(1)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def by_provider_id(self, channel: str, provider_id: str) -> OutboxMessage | None:
        query = select(OutboxMessage).where(
            OutboxMessage.channel == channel, OutboxMessage.provider_id == provider_id
        ).with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def problems(
        self, channel: str | None = None, limit: int = 200
    ) -> Sequence[OutboxMessage]:
        """Replies that are held, failed for good or reported failed: what staff should see."""
        query = (
            select(OutboxMessage)
            .where(or_(OutboxMessage.held_reason.is_not(None),
                       OutboxMessage.abandoned_at.is_not(None),
                       OutboxMessage.status.in_(("failed", "undelivered"))))
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
        if channel is not None:
            query = query.where(OutboxMessage.channel == channel)
        return (await self._session.execute(query)).scalars().all()

    async def mark_failed(self, message_id: int, error: str, *, abandon: bool = False) -> None:
        """A failed attempt; ``abandon`` when trying again cannot help (it is logged as such)."""
        await self._session.execute(_SETTLE, {
            "message_id": message_id, "last_error": error[:200],
            "abandoned_at": utcnow() if abandon else None,
        })


def as_outbound(message: OutboxMessage | Row[Any]) -> Outbound:
    return Outbound(message.text, tuple(Choice(cid, label) for cid, label in message.choices),
                    message.thread)


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_code(self, code: str) -> Campaign | None:
        query = select(Campaign).where(Campaign.code == code)
        return (await self._session.execute(query)).scalar_one_or_none()

    def add(self, code: str, name: str = "") -> Campaign:
        campaign = Campaign(code=code, name=name)
        self._session.add(campaign)
        return campaign

    def record(self, kind: str, code: str, campaign: Campaign | None, channel: str) -> None:
        self._session.add(CampaignEvent(
            kind=kind, code=code, campaign_id=campaign.id if campaign else None, channel=channel
        ))

    async def all(self) -> Sequence[Campaign]:
        return (await self._session.execute(select(Campaign).order_by(Campaign.id))).scalars().all()

    async def counts(self) -> dict[str | None, dict[str, int]]:
        """Per campaign code (None: unknown codes): events by kind, and users first brought."""
        events = await self._session.execute(
            select(Campaign.code, CampaignEvent.kind, func.count(CampaignEvent.id))
            .select_from(CampaignEvent)
            .outerjoin(Campaign, Campaign.id == CampaignEvent.campaign_id)
            .group_by(Campaign.code, CampaignEvent.kind)
        )
        users = await self._session.execute(
            select(Campaign.code, func.count(User.id))
            .join(User, User.first_campaign_id == Campaign.id)
            .group_by(Campaign.code)
        )
        result: dict[str | None, dict[str, int]] = {}
        for code, kind, count in events.all():
            result.setdefault(code, {})[kind] = count
        for code, count in users.all():
            result.setdefault(code, {})["users"] = count
        return result


REFERRAL_OPEN = ("new", "claimed", "contacted")
"""``referrals.lifecycle.OPEN`` (storage does not import the referrals package)."""
REFERRAL_PRIORITIES = ("urgent", "high", "normal")
"""``referrals.lifecycle.PRIORITY_ORDER``: most pressing first."""
REFERRAL_PERSONAL = {"municipality": None, "age_band": None, "gender": None, "contact": None,
                     "summary": None, "answers": {}}
"""``referrals.lifecycle.PERSONAL_FIELDS``, with the value each is erased to."""


class ReferralRepository:
    """Referrals and their audit trail. The rules for changing them are in ``referrals``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def create(self, **fields: Any) -> Referral:
        referral = Referral(**fields)
        self._session.add(referral)
        return referral

    async def flush(self) -> None:
        await self._session.flush()

    def record(
        self, referral: Referral, kind: str, at: datetime, staff_id: str | None = None,
        detail: str | None = None, note: str | None = None,
    ) -> ReferralEvent:
        """One line of the audit trail (the referral must have its id: flush after ``add``)."""
        event = ReferralEvent(referral_id=referral.id, kind=kind, staff_id=staff_id,
                              detail=detail, note=note, created_at=at)
        self._session.add(event)
        return event

    async def get(self, referral_id: int) -> Referral | None:
        return await self._session.get(Referral, referral_id)

    async def get_locked(self, referral_id: int) -> Referral | None:
        """The referral, locked until the transaction ends; a second caller waits, then reads
        what the first committed (PostgreSQL row lock; SQLite's BEGIN IMMEDIATE serialises
        whole transactions already)."""
        query = (
            select(Referral).where(Referral.id == referral_id)
            .with_for_update().execution_options(populate_existing=True)
        )
        return (await self._session.execute(query)).scalar_one_or_none()

    async def next_new_locked(self) -> Referral | None:
        """The oldest most pressing unclaimed referral, locked; rows other transactions hold
        are skipped (``FOR UPDATE SKIP LOCKED``), so concurrent callers each get another one.
        One query per priority keeps each an index range scan of ``ix_referrals_queue``."""
        for level in REFERRAL_PRIORITIES:
            query = (
                select(Referral)
                .where(Referral.status == "new", Referral.priority == level)
                .order_by(Referral.created_at, Referral.id)
                .limit(1)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
            found = (await self._session.execute(query)).scalar_one_or_none()
            if found is not None:
                return found
        return None

    async def unclaimed_since(self, before: dict[str, datetime]) -> Sequence[Referral]:
        """New referrals of each priority created before its time, oldest first."""
        conditions = [
            (Referral.priority == level) & (Referral.created_at <= at)
            for level, at in before.items()
        ]
        query = (
            select(Referral).where(Referral.status == "new", or_(*conditions))
            .order_by(Referral.created_at, Referral.id)
        )
        return (await self._session.execute(query)).scalars().all()

    async def by_staff_thread(self, thread: str) -> Referral | None:
        query = select(Referral).where(Referral.staff_thread == thread)
        return (await self._session.execute(query)).scalars().first()

    async def open_for_user(self, user_id: int) -> Referral | None:
        """The user's referral that staff still have to act on, if there is one."""
        query = select(Referral).where(
            Referral.user_id == user_id, Referral.status.in_(REFERRAL_OPEN)
        ).order_by(Referral.id.desc()).limit(1)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def last_closed_for_user(self, user_id: int) -> Referral | None:
        query = select(Referral).where(
            Referral.user_id == user_id, Referral.status == "closed"
        ).order_by(Referral.closed_at.desc()).limit(1)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def listing(self, status: str | None = None, limit: int = 200) -> Sequence[Referral]:
        query = select(Referral).order_by(Referral.id.desc()).limit(limit)
        if status is not None:
            query = query.where(Referral.status == status)
        return (await self._session.execute(query)).scalars().all()

    async def created_since(self, since: datetime) -> Sequence[Referral]:
        query = select(Referral).where(Referral.created_at >= since).order_by(Referral.id)
        return (await self._session.execute(query)).scalars().all()

    async def events(self, referral_id: int) -> Sequence[ReferralEvent]:
        query = (
            select(ReferralEvent).where(ReferralEvent.referral_id == referral_id)
            .order_by(ReferralEvent.id)
        )
        return (await self._session.execute(query)).scalars().all()

    async def withdraw_for_user(self, user_id: int, at: datetime) -> list[Referral]:
        """The user deleted their data: their open referrals are withdrawn, every referral of
        theirs loses its personal fields and its notes; the audit says so, naming no one.
        Returns the referrals that were withdrawn."""
        # Lock the referrals first: a note a colleague is adding right now is committed before
        # the notes are wiped, not after.
        referrals = (await self._session.execute(
            select(Referral).where(Referral.user_id == user_id).order_by(Referral.id)
            .with_for_update().execution_options(populate_existing=True)
        )).scalars().all()
        noted = set((await self._session.execute(
            update(ReferralEvent)
            .where(ReferralEvent.referral_id.in_([r.id for r in referrals]),
                   ReferralEvent.note.is_not(None))
            .values(note=None)
            .returning(ReferralEvent.referral_id)
            .execution_options(synchronize_session="fetch")
        )).scalars().all())
        withdrawn = []
        for referral in referrals:
            personal = [getattr(referral, name) for name in REFERRAL_PERSONAL]
            if referral.status in REFERRAL_OPEN:
                referral.status = "withdrawn"
                withdrawn.append(referral)
                self.record(referral, "withdrawn", at)
            elif any(personal) or referral.id in noted:
                self.record(referral, "erased", at)
            else:
                continue  # erased before
            for name, erased in REFERRAL_PERSONAL.items():
                setattr(referral, name, {} if isinstance(erased, dict) else erased)
            referral.updated_at = at
        await self._session.flush()
        return withdrawn


async def _insert_in_order(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` in one statement, their ids ascending in list order (the outbox is
    delivered, and the message log read, in id order)."""
    if len(rows) == 1:
        await session.execute(_INSERT[table.name], rows[0])
    elif rows:
        # With several rows SQLAlchemy's ordered form inserts them in parameter order.
        await session.execute(_INSERT_ORDERED[table.name], rows)


_INSERT = {table.name: insert(table) for table in (_outbox, MessageLogEntry.__table__)}
_INSERT_ORDERED = {
    name: statement.returning(statement.table.c.id, sort_by_parameter_order=True)
    for name, statement in _INSERT.items()
}


def _insert_for(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ``ON CONFLICT DO NOTHING``."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
