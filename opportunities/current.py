"""A process's copy of the open opportunities, ready for matching (:class:`~.matching.Index`).

Loading and filing the catalogue costs far more than a turn may take, and it changes seldom
(an import, a publish, an edit: from the CLI or the console, often in another process). So each
turn asks the database one cheap question, when an opportunity last changed (an index lookup),
and the copy is built again only when that answer or the day is new. Every change the catalogue
service and the import make bumps ``updated_at``; the copy is also rebuilt every
:data:`REFRESH_EVERY` seconds whatever the answer, so a change made some other way (a row
deleted or edited by hand in the database) shows within minutes. Several processes each keep
their own copy and each sees a change at its next turn.
"""

import time
from collections.abc import Callable
from datetime import date, datetime

from bot.storage.unit_of_work import UnitOfWork
from nlu.entities import entity_values
from opportunities.matching import FIELDS, Index, Listing

REFRESH_EVERY = 600.0


class CurrentOpportunities:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._stamp: tuple[date, datetime | None] | None = None
        self._index: Index | None = None
        self._built_at = 0.0
        self._municipalities: tuple[str, ...] | None = None

    async def index(self, uow: UnitOfWork, today: date) -> Index:
        stamp = (today, await uow.catalogue.opportunities_changed_at())
        stale = self._clock() - self._built_at > REFRESH_EVERY
        if self._index is None or stamp != self._stamp or stale:
            if self._municipalities is None:
                self._municipalities = entity_values("municipality")
            rows = await uow.catalogue.open_opportunity_fields(today, FIELDS)
            self._index = Index((Listing.of(row) for row in rows), self._municipalities)
            self._stamp, self._built_at = stamp, self._clock()
        return self._index
