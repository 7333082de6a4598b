"""Referrals and their audit trail: plain queries. Which statuses, priorities and fields they
are about is said by the caller (``referrals``); the rules for changing them live there too."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Referral, ReferralEvent


class _Identified(Protocol):
    id: int


class ReferralRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def create(self, **fields: Any) -> Referral:
        referral = Referral(**fields)
        self._session.add(referral)
        return referral

    async def flush(self) -> None:
        await self._session.flush()

    def record(
        self, referral: _Identified, kind: str, at: datetime, staff_member_id: int | None = None,
        detail: str | None = None, note: str | None = None,
    ) -> ReferralEvent:
        """One line of the audit trail (the referral must have its id: flush after ``add``)."""
        event = ReferralEvent(referral_id=referral.id, kind=kind,
                              staff_member_id=staff_member_id, detail=detail, note=note,
                              created_at=at)
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

    async def next_locked(self, status: str, priorities: Sequence[str]) -> Referral | None:
        """The oldest referral in ``status`` of the first of ``priorities`` that has one,
        locked; rows other transactions hold are skipped (``FOR UPDATE SKIP LOCKED``), so
        concurrent callers each get another one. One query per priority keeps each an index
        range scan of ``ix_referrals_queue``."""
        for level in priorities:
            query = (
                select(Referral)
                .where(Referral.status == status, Referral.priority == level)
                .order_by(Referral.created_at, Referral.id)
                .limit(1)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
            found = (await self._session.execute(query)).scalar_one_or_none()
            if found is not None:
                return found
        return None

    async def quiet_since(
        self, statuses: Collection[str], before: dict[str, datetime], columns: Sequence[str],
    ) -> Sequence[Referral]:
        """Referrals in ``statuses`` whose every one of the time ``columns`` is empty or no
        later than the time given for the referral's priority; oldest first."""
        conditions = [
            and_(Referral.priority == level,
                 *[or_(getattr(Referral, c).is_(None), getattr(Referral, c) <= at)
                   for c in columns])
            for level, at in before.items()
        ]
        query = (
            select(Referral).where(Referral.status.in_(statuses), or_(*conditions))
            .order_by(Referral.created_at, Referral.id)
        )
        return (await self._session.execute(query)).scalars().all()

    async def in_order(
        self, statuses: Collection[str], priorities: Sequence[str], partner: str | None = None,
    ) -> Sequence[Referral]:
        """Every referral in ``statuses`` (only those routed to ``partner``, if given), in the
        order of ``priorities``, then oldest first."""
        rank = case({level: n for n, level in enumerate(priorities)}, value=Referral.priority,
                    else_=len(priorities))
        query = (select(Referral).where(Referral.status.in_(statuses))
                 .order_by(rank, Referral.created_at, Referral.id))
        if partner is not None:
            query = query.where(Referral.partner == partner)
        return (await self._session.execute(query)).scalars().all()

    async def by_staff_thread(self, thread: str) -> Referral | None:
        query = select(Referral).where(Referral.staff_thread == thread)
        return (await self._session.execute(query)).scalars().first()

    async def newest_for_user(
        self, user_id: int, statuses: Collection[str], by: str = "id",
    ) -> Referral | None:
        """The user's referral in one of ``statuses`` with the latest ``by`` column."""
        query = select(Referral).where(
            Referral.user_id == user_id, Referral.status.in_(statuses)
        ).order_by(getattr(Referral, by).desc(), Referral.id.desc()).limit(1)
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

    async def for_user_locked(self, user_id: int) -> Sequence[Referral]:
        """All of the user's referrals, locked (a note a colleague adds right now is committed
        before the caller goes on, not after)."""
        query = (select(Referral).where(Referral.user_id == user_id).order_by(Referral.id)
                 .with_for_update().execution_options(populate_existing=True))
        return (await self._session.execute(query)).scalars().all()

    async def clear_notes(self, referral_ids: Collection[int]) -> set[int]:
        """Empty the notes of these referrals' audit lines; the ids of those that had one."""
        if not referral_ids:
            return set()
        cleared = await self._session.execute(
            update(ReferralEvent)
            .where(ReferralEvent.referral_id.in_(list(referral_ids)),
                   ReferralEvent.note.is_not(None))
            .values(note=None)
            .returning(ReferralEvent.referral_id)
            .execution_options(synchronize_session="fetch")
        )
        return set(cleared.scalars().all())

