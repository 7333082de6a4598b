"""Opportunities for conversation tests, made through the catalogue service (as the console
will) from rows of :mod:`tests.support.catalogue_rows`; fictional organisations only."""

from datetime import timedelta

from sqlalchemy import update

from bot.bootstrap import Container
from bot.storage.catalogue import Opportunity
from opportunities import catalogue, importing
from tests.support.catalogue_rows import TODAY, opportunity

ORGANISATION = "Qendra Shembull"


def row(entry_id: str, kind: str = "training", *, places: str = "", sectors: str = "",
        days: int | None = 30, ages: tuple[str, str] = ("", ""), **changes: str) -> dict[str, str]:
    """An opportunity ``days`` from its deadline (None: no deadline)."""
    fields = {
        "id": entry_id, "kind": kind, "title_sq": f"Titulli {entry_id}",
        "title_en": f"Title {entry_id}", "organisation": ORGANISATION, "municipalities": places,
        "sectors": sectors, "min_age": ages[0], "max_age": ages[1], "contact": "",
        "deadline": "" if days is None else (TODAY + timedelta(days=days)).isoformat(),
        "apply": f"https://example.org/{entry_id}",
    }
    return opportunity(1, **(fields | changes))


async def publish(container: Container, *rows: dict[str, str], expired: tuple[str, ...] = ()
                  ) -> None:
    """Create each row; then the ``expired`` ones' deadlines pass (yesterday), as time would."""
    async with container.unit_of_work() as uow:
        for form in rows:
            result = await catalogue.create(uow, importing.opportunities(), form, TODAY)
            assert result.ok, result.problems
        await uow.commit()
    if expired:
        async with container.sessions() as session:
            await session.execute(update(Opportunity).where(Opportunity.id.in_(expired))
                                  .values(deadline=TODAY - timedelta(days=1)))
            await session.commit()
