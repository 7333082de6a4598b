"""A process's copy of the open opportunities, ready for matching (:class:`~.matching.Index`).

Loading and filing the catalogue costs far more than a turn may take, and it changes seldom
(an import, a publish, an edit: from the CLI or the console, often in another process). So each
turn asks the database one cheap question, how many opportunities there are and when one last
changed, and the copy is built again only when that answer (or the day) is new. Several
processes each keep their own copy and each sees a change at its next turn.
"""

from datetime import date, datetime

from bot.storage.unit_of_work import UnitOfWork
from nlu.entities import entity_values
from opportunities.matching import Index, Listing


class CurrentOpportunities:
    def __init__(self) -> None:
        self._stamp: tuple[date, int, datetime | None] | None = None
        self._index: Index | None = None
        self._municipalities: tuple[str, ...] | None = None

    async def index(self, uow: UnitOfWork, today: date) -> Index:
        stamp = (today, *await uow.catalogue.opportunities_stamp())
        if self._index is None or stamp != self._stamp:
            if self._municipalities is None:
                self._municipalities = entity_values("municipality")
            rows = await uow.catalogue.open_opportunities(today)
            self._index = Index((Listing.of(row) for row in rows), self._municipalities)
            self._stamp = stamp
        return self._index
