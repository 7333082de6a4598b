"""Staff members: who may act on the staff side (roles and their rights are ``bot.staff``)."""

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import StaffMember


class StaffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, member: StaffMember) -> StaffMember:
        self._session.add(member)
        return member

    async def flush(self) -> None:
        await self._session.flush()

    async def get(self, member_id: int) -> StaffMember | None:
        return await self._session.get(StaffMember, member_id)

    async def by_ids(self, member_ids: set[int]) -> dict[int, StaffMember]:
        if not member_ids:
            return {}
        query = select(StaffMember).where(StaffMember.id.in_(sorted(member_ids)))
        return {m.id: m for m in (await self._session.execute(query)).scalars().all()}

    async def by_email(self, email: str) -> StaffMember | None:
        query = select(StaffMember).where(StaffMember.email == email)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def by_telegram_id(self, telegram_id: int) -> StaffMember | None:
        query = select(StaffMember).where(StaffMember.telegram_id == telegram_id)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def telegram_ids(self) -> set[int]:
        query = select(StaffMember.telegram_id).where(StaffMember.telegram_id.is_not(None))
        return {i for i in (await self._session.execute(query)).scalars().all() if i is not None}

    async def named(self, name_or_email: str) -> Sequence[StaffMember]:
        """Active members whose display name or e-mail is this (case does not matter)."""
        wanted = name_or_email.strip().lower()
        query = select(StaffMember).where(
            StaffMember.active.is_(True),
            or_(func.lower(StaffMember.name) == wanted, StaffMember.email == wanted),
        ).order_by(StaffMember.id)
        return (await self._session.execute(query)).scalars().all()

    async def listing(self) -> Sequence[StaffMember]:
        query = select(StaffMember).order_by(StaffMember.id)
        return (await self._session.execute(query)).scalars().all()
