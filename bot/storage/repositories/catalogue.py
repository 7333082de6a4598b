"""The catalogue: opportunities and local services, read and written by their ``id``."""

import json
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, String, cast, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.catalogue import LocalService, Opportunity, OpportunityEvent

Entry = TypeVar("Entry", Opportunity, LocalService)
_LAST_CHANGE = select(func.max(Opportunity.updated_at))
_EVENT = insert(OpportunityEvent)
_NO_FLUSH = {"autoflush": False}
"""For reads of the catalogue in a turn, which never changes it: the turn's pending changes
(its conversation state) need not be written first, and then again at the commit."""


def _open(today: date) -> tuple[ColumnElement[bool], ...]:
    return (Opportunity.published.is_(True),
            or_(Opportunity.deadline.is_(None), Opportunity.deadline >= today))


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._events: list[dict[str, Any]] = []

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
        query = select(Opportunity).where(*_open(today)).order_by(
            Opportunity.deadline.is_(None), Opportunity.deadline, Opportunity.id)
        return (await self._session.execute(query)).scalars().all()

    async def services_for(self, topic: str) -> Sequence[LocalService]:
        """The published local services whose ``topics`` include ``topic`` (a content page id),
        by id. LIKE on the JSON's text narrows the rows the same way on SQLite and PostgreSQL
        (the quotes keep ``jobs`` from finding ``jobs.portal``); the list itself decides."""
        query = select(LocalService).where(
            LocalService.published.is_(True),
            cast(LocalService.topics, String).like(f"%{json.dumps(topic)}%"),
        ).order_by(LocalService.id)
        found = (await self._session.execute(query, execution_options=_NO_FLUSH)).scalars().all()
        return [service for service in found if topic in service.topics]

    async def open_opportunity_fields(self, today: date,
                                      names: Sequence[str]) -> Sequence[Row[Any]]:
        """The ``names`` columns of the open opportunities, as plain rows (no objects for the
        session to track: several times faster for a whole catalogue), in no order."""
        query = select(*(getattr(Opportunity, name) for name in names)).where(*_open(today))
        return (await self._session.execute(query, execution_options=_NO_FLUSH)).all()

    async def opportunities_changed_at(self) -> datetime | None:
        """When an opportunity was last added or changed (an index lookup, however many)."""
        latest: datetime | None = await self._session.scalar(
            _LAST_CHANGE, execution_options=_NO_FLUSH)
        return latest

    def count(self, kind: str, opportunity_ids: Sequence[str], at: datetime) -> None:
        """One ``kind`` event (``view``, ``interested``) for each id, written at the commit."""
        self._events += [{"opportunity_id": i, "kind": kind, "created_at": at}
                         for i in opportunity_ids]

    async def write(self) -> None:
        """The events counted since the last write, in one statement."""
        if self._events:
            await self._session.execute(_EVENT, self._events)
            self._events = []
