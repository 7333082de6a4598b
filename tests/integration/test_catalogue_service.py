"""What the console will do to one entry (create, update, publish, unpublish), and which
opportunities count as open, on both databases."""

from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial

import pytest

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.unit_of_work import UnitOfWork
from opportunities import catalogue, importing
from opportunities.catalogue import Outcome
from opportunities.fields import opportunity_columns
from opportunities.validation import check_rows
from tests.support.catalogue_rows import TODAY, opportunity

Units = partial[UnitOfWork]


@pytest.fixture
async def units(database_url: str) -> AsyncIterator[Units]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        yield partial(UnitOfWork, session_factory(engine))
    finally:
        await engine.dispose()


async def test_create_update_publish_unpublish_say_what_they_did(units: Units) -> None:
    kind = importing.opportunities()
    async with units() as uow:
        assert (await catalogue.create(uow, kind, opportunity(1), TODAY)).outcome == Outcome.CREATED
        again = await catalogue.create(uow, kind, opportunity(1), TODAY)
        assert (again.outcome, again.ok) == (Outcome.EXISTS, False)
        await uow.commit()
    async with units() as uow:
        edited = await catalogue.update(uow, kind, "opp-001", opportunity(1, title_sq="Kurs"),
                                        TODAY)
        assert edited.outcome == Outcome.UPDATED
        same = await catalogue.update(uow, kind, "opp-001", opportunity(1, title_sq="Kurs"), TODAY)
        assert same.outcome == Outcome.UNCHANGED
        assert (await catalogue.update(uow, kind, "opp-009", opportunity(9), TODAY)).outcome \
            == Outcome.MISSING
        assert (await catalogue.unpublish(uow, kind, "opp-001")).outcome == Outcome.UNPUBLISHED
        assert (await catalogue.unpublish(uow, kind, "opp-001")).outcome == Outcome.UNCHANGED
        await uow.commit()
    async with units() as uow:
        stored = await uow.catalogue.get(kind.model, "opp-001")
        assert stored is not None and stored.title_sq == "Kurs" and not stored.published
        assert await uow.catalogue.open_opportunities(TODAY) == []
        assert (await catalogue.publish(uow, kind, "opp-001")).outcome == Outcome.PUBLISHED
        assert [o.id for o in await uow.catalogue.open_opportunities(TODAY)] == ["opp-001"]


async def test_a_bad_form_is_refused_with_its_fields(units: Units) -> None:
    kind = importing.opportunities()
    async with units() as uow:
        result = await catalogue.create(
            uow, kind, opportunity(1, deadline="2027-13-01", municipalities="durres"), TODAY)
        assert result.outcome == Outcome.INVALID
        assert [str(p) for p in result.problems] == [
            "municipalities: 'durres' not one of kukes, has, tropoje",
            "deadline: 2027-13-01 is not a date (YYYY-MM-DD)",
        ]
        assert await uow.catalogue.listing(kind.model) == []


async def test_an_opportunity_drops_out_of_the_open_ones_after_its_deadline(
    units: Units,
) -> None:
    kind = importing.opportunities()
    async with units() as uow:
        for number, days in ((1, 3), (2, 0), (3, 30)):
            deadline = (TODAY + timedelta(days=days)).isoformat()
            await catalogue.create(uow, kind, opportunity(number, deadline=deadline), TODAY)
        await catalogue.create(uow, kind, opportunity(4, deadline=""), TODAY)
        await uow.commit()
    async with units() as uow:
        today = [o.id for o in await uow.catalogue.open_opportunities(TODAY)]
        later = [o.id for o in await uow.catalogue.open_opportunities(TODAY + timedelta(days=4))]
    assert today == ["opp-002", "opp-001", "opp-003", "opp-004"]
    assert later == ["opp-003", "opp-004"]


async def test_a_file_without_the_published_column_leaves_it_as_staff_set_it(
    units: Units,
) -> None:
    kind = importing.opportunities()
    async with units() as uow:
        await catalogue.create(uow, kind, opportunity(1), TODAY)
        await catalogue.unpublish(uow, kind, "opp-001")
        await uow.commit()
    columns = opportunity_columns()
    checked = check_rows([c.name for c in columns if c.required],
                         [(2, opportunity(1, title_sq="Kurs i ri"))], columns, TODAY)
    async with units() as uow:
        changes = await importing.apply(uow, kind, checked.records)
        await uow.commit()
    async with units() as uow:
        stored = await uow.catalogue.get(kind.model, "opp-001")
        assert stored is not None and stored.title_sq == "Kurs i ri" and not stored.published
    assert changes.updated == ["opp-001"]
