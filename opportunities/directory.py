"""The directory of local services as a content page shows it: the entries for the page's topic,
nearest first, each with whether it was checked within the last year.

"Nearest" is by municipality, the only place the bot may know: with the user's municipality
known, the entries that serve it (those naming it, then county-wide ones) and, only when there
are none, the others, so an entry for the topic is never hidden; unknown, the county-wide ones,
then by municipality in the NLU gazetteer's order.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from bot.storage.catalogue import LocalService
from nlu.entities import entity_values

SHOWN = 3
"""At most this many entries on a page: it stays one short message on every channel."""
CHECKED_WITHIN = timedelta(days=365)
"""An entry checked longer ago than this is shown with a warning."""


@dataclass(frozen=True)
class Listed:
    service: LocalService
    stale: bool
    """Not checked within :data:`CHECKED_WITHIN`: the page warns that it may be out of date."""


@cache
def _municipalities() -> tuple[str, ...]:
    return entity_values("municipality")


def known(municipality: str | None) -> str | None:
    """The municipality if it is one of the county's (not "other", not an erased answer)."""
    return municipality if municipality in _municipalities() else None


def nearest(
    services: Sequence[LocalService], municipality: str | None, today: date, limit: int = SHOWN
) -> list[Listed]:
    """At most ``limit`` of ``services``, nearest to ``municipality`` first (module doc); among
    equals the recently checked first, then by name."""
    municipality = known(municipality)
    order = _municipalities()

    def place(service: LocalService) -> int:
        if municipality is not None and municipality in service.municipalities:
            return 0
        if not service.municipalities:
            return 1
        return 2 + min((order.index(m) for m in service.municipalities if m in order),
                       default=len(order))

    def stale(service: LocalService) -> bool:
        return service.checked < today - CHECKED_WITHIN

    ranked = sorted(services, key=lambda s: (place(s), stale(s), s.title_sq, s.id))
    serving = [s for s in ranked if place(s) < 2] if municipality is not None else []
    return [Listed(s, stale(s)) for s in (serving or ranked)[:limit]]
