"""Users and their conversation state: the rows a turn locks and loads in one query."""

from typing import cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from bot.storage.models import (
    ConversationState,
    MessageLogEntry,
    OutboxMessage,
    Referral,
    User,
    utcnow,
)
from bot.storage.profiles import UserProfile
from bot.storage.repositories.inserts import InsertOrNothing
from bot.storage.repositories.outbox import UNSENT

_USER_WITH_STATE = (
    select(User)
    .options(joinedload(User.state))
    .where(User.channel == bindparam("channel"), User.address == bindparam("address"))
    .with_for_update(of=User)
)
_INSERT_USER = InsertOrNothing(cast(Table, User.__table__), returning=True)
_CREATE_USER = select(User).from_statement(_INSERT_USER.statement)
"""A new user, or nothing when another process created them first."""


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
        created = await self._session.scalars(_CREATE_USER, _INSERT_USER.params(
            channel=channel, address=address, locale=locale, created_at=now, last_seen_at=now))
        user = created.one_or_none()
        if user is not None:  # ours, and locked: nobody else sees it before the commit
            set_committed_value(user, "state", None)
            return user, True
        user = await self.get_locked(channel, address)  # another process created it just now
        assert user is not None
        return user, False

    async def delete_with_history(self, user: User) -> None:
        """Erase the user, their conversation state, message log and the bands of their
        profile answers; their referrals stay, pointing at no one. What a referral keeps is for
        the caller to settle first (``referrals.erasure``), and the outbox too
        (``Outbox.erase_after_send``)."""
        await self._session.execute(delete(MessageLogEntry).where(MessageLogEntry.user_id == user.id))
        await self._session.execute(
            delete(ConversationState).where(ConversationState.user_id == user.id)
        )
        await self._session.execute(delete(UserProfile).where(UserProfile.user_id == user.id))
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
            .where(OutboxMessage.channel == channel, OutboxMessage.address == address, *UNSENT)
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
