"""The catalogue: opportunities and local services, read and written by their ``id``."""

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.catalogue import LocalService, Opportunity, OpportunityEvent

Entry = TypeVar("Entry", Opportunity, LocalService)
_STAMP = select(func.count(), func.max(Opportunity.updated_at))
_EVENT = insert(OpportunityEvent)


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, entry: Opportunity | LocalService) -> None:
        self._session.add(entry)

    async def flush(self) -> None:
        await self._session.flush()

    async def get(self, model: type[Entry], entry_id: str) -> Entry | None:
        return await self._session.get(model, entry_id)

    async def by_ids(self, model: type[Entry], ids: Collection[str]) -> dict[str, Entry]:
        if not ids:
            return {}
        query = select(model).where(model.id.in_(sorted(ids)))
        return {e.id: e for e in (await self._session.execute(query)).scalars().all()}

    async def listing(self, model: type[Entry]) -> Sequence[Entry]:
        return (await self._session.execute(select(model).order_by(model.id))).scalars().all()

    async def open_opportunities(self, today: date) -> Sequence[Opportunity]:
        """Published and not past their deadline, the most urgent first (no deadline last)."""
        query = select(Opportunity).where(
            Opportunity.published.is_(True),
            or_(Opportunity.deadline.is_(None), Opportunity.deadline >= today),
        ).order_by(Opportunity.deadline.is_(None), Opportunity.deadline, Opportunity.id)
        return (await self._session.execute(query)).scalars().all()

    async def opportunities_stamp(self) -> tuple[int, datetime | None]:
        """How many opportunities there are and when one last changed: whether a copy of
        the catalogue taken before is still the catalogue (every change bumps one of them)."""
        count, latest = (await self._session.execute(_STAMP)).one()
        return int(count), latest

    async def count(self, kind: str, opportunity_ids: Sequence[str], at: datetime) -> None:
        """One ``kind`` event (``view``, ``interested``) for each id, in the caller's
        transaction."""
        if opportunity_ids:
            await self._session.execute(_EVENT, [
                {"opportunity_id": i, "kind": kind, "created_at": at} for i in opportunity_ids])
