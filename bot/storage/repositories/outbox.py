"""The outbox: replies written with the turn that caused them, leased and settled by the
senders, held while WhatsApp's window is closed."""

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Row,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Choice, Outbound
from bot.storage.models import OutboxKind, OutboxMessage, User, utcnow
from bot.storage.repositories.inserts import insert_in_order
from bot.storage.repositories.outbox_leases import (
    ERASED_ADDRESS,
    LEASE_NEXT,
    OUTBOX,
    RELEASE,
    SENT,
    SENT_THEN_LEASE_NEXT,
    SETTLE,
)

UNSENT = (OutboxMessage.sent_at.is_(None), OutboxMessage.abandoned_at.is_(None))
ERASED = "…"
"""What an erased person's number is replaced by in texts that stay (the staff group's)."""
FORGET = update(OutboxMessage).values(address=ERASED_ADDRESS, text="", choices=[])

class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: list[dict[str, Any]] = []
        self._erased: set[tuple[str, str]] = set()

    def put(
        self, channel: str, address: str, user: User | None, reply: Outbound,
        referral_id: int | None = None, *, kind: OutboxKind = "reply",
    ) -> None:
        """Queue a reply; it is written (with ids in the order of ``put``) by :meth:`write`.
        ``kind`` is what the delivery policy decides by (outside WhatsApp's window)."""
        self._rows.append(_row(channel, address, user, reply, referral_id, kind))

    async def put_apart(self, replies: Iterable[tuple[User, Outbound]], kind: OutboxKind) -> None:
        """Write now one reply to each of several users, in one statement: their order among
        themselves does not matter (each chat's is kept by id), so the database need not hand
        back ids in order (a broadcast of thousands of alerts)."""
        rows = [_row(user.channel, user.address, user, reply, None, kind)
                for user, reply in replies]
        if rows:
            await self._session.execute(insert(OUTBOX), rows)

    async def write(self) -> None:
        """Insert the replies put since the last write (the unit of work's commit calls it)."""
        await insert_in_order(self._session, OUTBOX, self._rows)
        self._rows = []
        if self._erased:
            await self._forget_chats()

    def erase_after_send(self, channel: str, address: str) -> None:
        """The chat's person erased their data: at :meth:`write`, the chat's rows are marked
        ``erase_after_send``; the settled ones are forgotten (:meth:`forget`) at once, those
        still to go (the erasure's confirmation, written with this unit of work) once sent."""
        self._erased.add((channel, address))

    async def _forget_chats(self) -> None:
        for channel, address in self._erased:
            chat = (OutboxMessage.channel == channel, OutboxMessage.address == address)
            await self._session.execute(
                update(OutboxMessage).where(*chat).values(erase_after_send=True))
            await self._session.execute(FORGET.where(*chat, ~and_(*UNSENT)))
        self._erased.clear()

    async def forget(self, message_id: int) -> None:
        """A settled row marked ``erase_after_send`` loses its address and text. The row
        stays (its late status callbacks find it, and are ignored) until the retention job
        deletes it."""
        await self._session.execute(FORGET.where(OutboxMessage.id == message_id,
                                                  OutboxMessage.erase_after_send.is_(True)))

    async def scrub(self, forms: Iterable[str], editable: str, chat: tuple[str, str]) -> None:
        """Take each of ``forms`` (an erased person's number) out of every row's text. A row
        sent on the ``editable`` channel (the staff group's) is put back in the outbox as an
        edit of the message it was (kind ``edit``), so the chat shows the new text too; not
        in the erased person's own ``chat`` (channel, address), whose rows are forgotten."""
        for form in forms:
            found = OutboxMessage.text.contains(form, autoescape=True)
            scrubbed = func.replace(OutboxMessage.text, form, ERASED)
            await self._session.execute(
                update(OutboxMessage)
                .where(found, OutboxMessage.channel == editable,
                       ~and_(OutboxMessage.channel == chat[0], OutboxMessage.address == chat[1]),
                       OutboxMessage.sent_at.is_not(None), OutboxMessage.provider_id.is_not(None))
                .values(text=scrubbed, kind="edit", sent_at=None, lease_until=None, status=None)
            )
            await self._session.execute(update(OutboxMessage).where(found).values(text=scrubbed))

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
            LEASE_NEXT,
            {"chat_channel": channel, "chat_address": address, "now": now, "until": now + lease},
        )
        return claimed.one_or_none()

    async def release_leases(self, channel: str) -> int:
        """Free the channel's leased rows (its sender died holding them); returns how many.
        Only for a sender that knows no other one is at work on the channel."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == channel, *UNSENT, OutboxMessage.lease_until.is_not(None))
            .values(lease_until=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

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
            .where(OutboxMessage.channel == channel, *UNSENT)
            .group_by(OutboxMessage.address)
            .having(func.count(OutboxMessage.held_reason) == 0)  # a held chat waits for the user
            .order_by(func.min(OutboxMessage.id))
            .limit(limit)
        )
        return list((await self._session.execute(query)).scalars().all())

    async def sent_then_next(
        self, message: Row[Any], provider_id: str | None, lease: timedelta
    ) -> Row[Any] | None:
        """Settle a sent row (forgotten if its person erased their data, even while it was
        on its way) and lease the next of its chat, as :meth:`mark_sent` then
        :meth:`claim_next` do."""
        if self._session.get_bind().dialect.name != "postgresql":
            await self.mark_sent(message.id, provider_id)
            return await self.claim_next(message.channel, message.address, lease)
        now = utcnow()
        claimed = await self._session.execute(SENT_THEN_LEASE_NEXT, {
            "message_id": message.id, "when_sent": now, "sent_as": provider_id,
            "chat_channel": message.channel, "chat_address": message.address,
            "now": now, "until": now + lease,
        })
        return claimed.one_or_none()

    async def mark_sent(self, message_id: int, provider_id: str | None = None) -> None:
        """Settle a sent row; one marked ``erase_after_send`` by now is forgotten with it."""
        await self._session.execute(SENT, {"message_id": message_id, "when_sent": utcnow(),
                                           "sent_as": provider_id})

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
                   *UNSENT, OutboxMessage.held_reason.is_(None))
            .values(held_reason=reason[:64], lease_until=None)
        )

    async def release(self, channel: str, address: str) -> int:
        """The user wrote: their held replies may go (first, being oldest). Returns how many."""
        result = await self._session.execute(
            RELEASE, {"chat_channel": channel, "chat_address": address})
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
            OutboxMessage.channel == channel, OutboxMessage.address == address, *UNSENT,
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
        await self._session.execute(SETTLE, {
            "message_id": message_id, "last_error": error[:200],
            "abandoned_at": utcnow() if abandon else None,
        })


def _row(channel: str, address: str, user: User | None, reply: Outbound,
         referral_id: int | None, kind: OutboxKind) -> dict[str, Any]:
    return {
        "channel": channel, "address": address, "user_id": user.id if user else None,
        "text": reply.text, "choices": [[c.id, c.label] for c in reply.choices],
        "created_at": utcnow(), "referral_id": referral_id, "thread": reply.thread,
        "kind": kind,
    }


def as_outbound(message: OutboxMessage | Row[Any]) -> Outbound:
    return Outbound(message.text, tuple(Choice(cid, label) for cid, label in message.choices),
                    message.thread, message.provider_id if message.kind == "edit" else None)
