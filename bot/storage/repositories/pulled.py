"""The outbox of a pull channel (the web chat), read by its client: nothing sends these rows,
the client asks for the ones after the last it saw.

A row read is marked sent (so ``outbox problems`` and retention treat it like a delivered one)
but stays readable, so a reloaded page shows the conversation again until retention empties
it. A row to someone who erased their data is forgotten once read, like a sent one.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Choice, Outbound
from bot.storage.models import ConversationState, OutboxMessage, User, utcnow
from bot.storage.repositories.outbox import FORGET

ENDED = "ended:"
"""The address prefix of a session the retention job ended."""
_outbox = cast(Table, OutboxMessage.__table__)
_CHAT = (_outbox.c.channel == bindparam("channel"), _outbox.c.address == bindparam("address"))
_LATEST = select(func.coalesce(func.max(_outbox.c.id), 0)).where(*_CHAT)
_AFTER = (
    select(_outbox.c.id, _outbox.c.text, _outbox.c.choices, _outbox.c.sent_at,
           _outbox.c.erase_after_send)
    .where(*_CHAT, _outbox.c.id > bindparam("after"), _outbox.c.abandoned_at.is_(None))
    .order_by(_outbox.c.id)
    .limit(bindparam("limit"))
)


@dataclass(frozen=True)
class Pulled:
    """One reply as its client reads it."""

    id: int
    reply: Outbound
    last: bool
    """The erasure's confirmation: nothing of the conversation is left after it."""


class PulledOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def latest(self, channel: str, address: str) -> int:
        """The id of the chat's newest row (0 for none): what a turn's replies come after."""
        found = await self._session.execute(_LATEST, {"channel": channel, "address": address})
        return int(found.scalar_one())

    async def read(self, channel: str, address: str, after: int, limit: int) -> list[Pulled]:
        """The chat's replies after ``after``, oldest first; those not read before are marked
        sent now, and an erased person's are forgotten."""
        rows = (await self._session.execute(
            _AFTER, {"channel": channel, "address": address, "after": after, "limit": limit}
        )).all()
        unread = [row.id for row in rows if row.sent_at is None]
        if unread:
            await self._session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(unread))
                .values(sent_at=utcnow(), attempts=OutboxMessage.attempts + 1)
                .execution_options(synchronize_session=False))
        erased = [row.id for row in rows if row.erase_after_send]
        if erased:
            await self._session.execute(FORGET.where(OutboxMessage.id.in_(erased)))
        return [Pulled(row.id, Outbound(row.text, tuple(Choice(cid, label)
                                                          for cid, label in row.choices)),
                       bool(row.erase_after_send)) for row in rows]

    async def retire_idle(self, channel: str, before: datetime, limit: int) -> int:
        """Sessions of ``channel`` with no message since ``before`` are ended: the user keeps
        their row (first contact and campaign are reach figures) under an address no session
        id leads to, and loses their conversation state; the chat's replies lose address and
        text. Returns how many sessions ended."""
        idle = (await self._session.execute(
            select(User.id, User.address)
            .where(User.channel == channel, User.last_seen_at < before,
                   ~User.address.startswith(ENDED))
            .order_by(User.id).limit(limit))).all()
        for user_id, address in idle:
            await self._session.execute(
                update(User).where(User.id == user_id).values(address=f"{ENDED}{user_id}"))
            await self._session.execute(
                FORGET.where(OutboxMessage.channel == channel,
                              OutboxMessage.address == address)
                .values(sent_at=func.coalesce(OutboxMessage.sent_at, utcnow())))
        if idle:
            await self._session.execute(delete(ConversationState).where(
                ConversationState.user_id.in_([user_id for user_id, _ in idle])))
        return len(idle)
