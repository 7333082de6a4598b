"""A fictional directory of local services (made-up addresses, phones and hours; no real office
is described): the employment offices of Kukës, Krumë (Has) and Bajram Curri (Tropojë), for the
tests of the content pages that show the directory."""

from datetime import timedelta
from pathlib import Path

from bot.bootstrap import Container
from opportunities import importing
from opportunities.validation import check_rows
from tests.support.catalogue_rows import SERVICE_HEADER, TODAY, service, write

OFFICES = {
    "kukes": service(1, id="zp-kukes", title_sq="Zyra e Punës Kukës (shembull)",
                     title_en="Kukës employment office (example)", municipalities="kukes",
                     topics="jobs", address="Rruga Shembull 1, Kukës", phone="000 000 001",
                     hours="E hënë–e premte 08:00–16:00", apply="https://example.org/kukes"),
    "has": service(2, id="zp-krume", title_sq="Zyra e Punës Krumë (shembull)",
                   title_en="Krumë employment office (example)", municipalities="has",
                   topics="jobs", address="Rruga Shembull 2, Krumë", phone="000 000 002",
                   hours="E hënë–e premte 08:30–15:30"),
    "tropoje": service(3, id="zp-bajram-curri", title_sq="Zyra e Punës Bajram Curri (shembull)",
                       title_en="Bajram Curri employment office (example)",
                       municipalities="tropoje", topics="jobs",
                       address="Rruga Shembull 3, Bajram Curri", phone="000 000 003",
                       hours="E hënë–e enjte 08:00–15:00"),
}
"""The three offices by the municipality each serves, all checked a month ago."""
YEAR_AND_A_BIT = (TODAY - timedelta(days=400)).isoformat()


def write_file(path: Path, rows: list[dict[str, str]]) -> Path:
    return write(path, rows, SERVICE_HEADER + ["published"])


async def load(container: Container, rows: list[dict[str, str]]) -> None:
    """The rows into the directory, as ``youthbot services import`` puts them."""
    catalogue = importing.services(sorted(container.content.pages("sq")))
    header = SERVICE_HEADER + ["published"]
    cells = [(number, {name: row.get(name, "") for name in header})
             for number, row in enumerate(rows, start=2)]
    checked = check_rows(header, cells, catalogue.columns(), TODAY)
    assert checked.problems == []
    async with container.unit_of_work() as uow:
        await importing.apply(uow, catalogue, checked.records)
        await uow.commit()
