"""Referrals and their audit trail. The rules for changing them are in ``referrals``."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Referral, ReferralEvent

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
