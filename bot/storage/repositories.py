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
from datetime import timedelta
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
    User,
    utcnow,
)

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
        """Erase the user, their conversation state, message log and delivered replies."""
        await self._session.execute(delete(MessageLogEntry).where(MessageLogEntry.user_id == user.id))
        await self._session.execute(
            delete(ConversationState).where(ConversationState.user_id == user.id)
        )
        await self._session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.user_id == user.id, OutboxMessage.sent_at.is_not(None)
            )
        )
        await self._session.execute(
            update(Referral).where(Referral.user_id == user.id).values(user_id=None, status="withdrawn")
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
            .where(OutboxMessage.channel == channel, OutboxMessage.address == address,
                   OutboxMessage.sent_at.is_(None), OutboxMessage.abandoned_at.is_(None))
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

    def put(self, channel: str, address: str, user: User | None, reply: Outbound) -> None:
        """Queue a reply; it is written (with ids in the order of ``put``) by :meth:`write`."""
        self._rows.append({
            "channel": channel, "address": address, "user_id": user.id if user else None,
            "text": reply.text, "choices": [[c.id, c.label] for c in reply.choices],
            "created_at": utcnow(),
        })

    async def write(self) -> None:
        """Insert the replies put since the last write (the unit of work's commit calls it)."""
        await _insert_in_order(self._session, OutboxMessage.__table__, self._rows)
        self._rows = []

    async def claim_next(
        self, channel: str, address: str, lease: timedelta
    ) -> Row[Any] | None:
        """Lease the chat's oldest undelivered reply (a row with every outbox column); None
        when there is none or when it is leased already (then its sender keeps the chat's
        order). One atomic statement, so two processes never claim the same reply."""
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
            .where(OutboxMessage.channel == channel, OutboxMessage.sent_at.is_(None),
                   OutboxMessage.abandoned_at.is_(None))
            .group_by(OutboxMessage.address)
            .order_by(func.min(OutboxMessage.id))
            .limit(limit)
        )
        return list((await self._session.execute(query)).scalars().all())

    async def mark_sent(self, message_id: int) -> None:
        await self._session.execute(_SETTLE, {"message_id": message_id, "sent_at": utcnow()})

    async def mark_failed(self, message_id: int, error: str, *, abandon: bool = False) -> None:
        """A failed attempt; ``abandon`` when trying again cannot help (it is logged as such)."""
        await self._session.execute(_SETTLE, {
            "message_id": message_id, "last_error": error[:200],
            "abandoned_at": utcnow() if abandon else None,
        })


def as_outbound(message: OutboxMessage | Row[Any]) -> Outbound:
    return Outbound(message.text, tuple(Choice(cid, label) for cid, label in message.choices))


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
