"""The catalogue: opportunities and local services, read and written by their ``id``."""

import json
from collections.abc import Collection, Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.catalogue import LocalService, Opportunity

Entry = TypeVar("Entry", Opportunity, LocalService)


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

    async def services_for(self, topic: str) -> Sequence[LocalService]:
        """The published local services whose ``topics`` include ``topic`` (a content page id),
        by id. LIKE on the JSON's text narrows the rows the same way on SQLite and PostgreSQL
        (the quotes keep ``jobs`` from finding ``jobs.portal``); the list itself decides."""
        query = select(LocalService).where(
            LocalService.published.is_(True),
            cast(LocalService.topics, String).like(f"%{json.dumps(topic)}%"),
        ).order_by(LocalService.id)
        found = (await self._session.execute(query)).scalars().all()
        return [service for service in found if topic in service.topics]
