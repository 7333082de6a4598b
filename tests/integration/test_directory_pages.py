"""Content pages that send people to an office show the nearest entry of the directory of local
services instead of the generic line, on both databases; an empty directory changes nothing."""

import pytest

from bot.bootstrap import Container
from referrals.queue import ReferralQueue
from tests.support import directory
from tests.support.catalogue_rows import service
from tests.support.conversation import CHANNEL, Conversation
from tests.support.directory import OFFICES, YEAR_AND_A_BIT

TROPOJE_ASKS = "ku osht zyra e punsimit n tropoj"


def sq(container: Container, key: str, **values: object) -> str:
    return container.translators["sq"](key, **values)


def page_as_today(container: Container, page_id: str, locale: str = "sq") -> str:
    """The page as it reads with no directory: its text, then the review line."""
    page = container.content.page(locale, page_id)
    reviewed = container.translators[locale](
        "page.reviewed", date=container.translators[locale].date(page.last_reviewed))
    return f"{page.text.strip()}\n\n{reviewed}"


async def started(container: Container, address: str = "ana") -> Conversation:
    chat = Conversation(container, address)
    await chat.say("menu")
    return chat


async def test_an_empty_directory_leaves_every_page_exactly_as_it_was(
    container: Container,
) -> None:
    chat = await started(container)
    [jobs] = await chat.say(TROPOJE_ASKS)
    [portal] = await chat.press("page:jobs.portal")
    [counters] = await chat.press("page:human.counters")
    assert jobs.text == page_as_today(container, "jobs")
    assert portal.text == page_as_today(container, "jobs.portal")
    assert counters.text == page_as_today(container, "human.counters")


async def test_a_directory_without_the_pages_topic_changes_nothing(container: Container) -> None:
    await directory.load(container, [
        service(7, id="qr-kukes", title_sq="Qendra Rinore (shembull)", topics="trainings"),
        {**OFFICES["tropoje"], "published": "no"},
    ])
    [jobs] = await (await started(container)).say(TROPOJE_ASKS)
    assert jobs.text == page_as_today(container, "jobs")


async def test_someone_in_tropoje_gets_the_bajram_curri_office_with_its_hours(
    container: Container,
) -> None:
    await directory.load(container, list(OFFICES.values()))
    [jobs] = await (await started(container)).say(TROPOJE_ASKS)

    assert page_as_today(container, "jobs").split("\n\n")[0] in jobs.text
    assert container.content.page("sq", "jobs").services.lead in jobs.text  # type: ignore[union-attr]
    office = OFFICES["tropoje"]
    assert sq(container, "directory.name", name=office["title_sq"]) in jobs.text
    assert sq(container, "directory.hours", value="E hënë–e enjte 08:00–15:00") in jobs.text
    assert sq(container, "directory.address", value=office["address"]) in jobs.text
    assert sq(container, "directory.phone", value=office["phone"]) in jobs.text
    assert OFFICES["kukes"]["title_sq"] not in jobs.text
    assert OFFICES["has"]["title_sq"] not in jobs.text
    assert jobs.choices and jobs.choices[0].id == "page:jobs.portal"


async def test_not_knowing_where_they_are_shows_every_office_kukes_has_tropoje(
    container: Container,
) -> None:
    await directory.load(container, list(OFFICES.values()))
    [jobs] = await (await started(container)).say("ku eshte zyra e punes?")
    positions = [jobs.text.index(OFFICES[m]["title_sq"]) for m in ("kukes", "has", "tropoje")]
    assert positions == sorted(positions)


async def test_the_municipality_of_their_last_request_to_staff_counts(
    container: Container,
) -> None:
    await directory.load(container, list(OFFICES.values()))
    chat = await started(container)
    async with container.unit_of_work() as uow:
        user = await uow.users.get_locked(CHANNEL, chat.address)
        assert user is not None
        await ReferralQueue(uow.referrals).create(
            user_id=user.id, channel=CHANNEL, topic="jobs", municipality="has")
        await uow.commit()
    [jobs] = await chat.say("ku eshte zyra e punes?")
    assert OFFICES["has"]["title_sq"] in jobs.text
    assert OFFICES["kukes"]["title_sq"] not in jobs.text
    [named] = await chat.say(TROPOJE_ASKS)  # what the message says wins
    assert OFFICES["tropoje"]["title_sq"] in named.text
    assert OFFICES["has"]["title_sq"] not in named.text


async def test_with_no_office_in_their_municipality_the_others_are_still_shown(
    container: Container,
) -> None:
    await directory.load(container, [OFFICES["kukes"]])
    [jobs] = await (await started(container)).say(TROPOJE_ASKS)
    assert OFFICES["kukes"]["title_sq"] in jobs.text


async def test_a_county_wide_entry_comes_after_the_municipalitys_own(
    container: Container,
) -> None:
    county = service(8, id="akpa-qark", title_sq="Drejtoria e Punësimit, qarku (shembull)",
                     municipalities="", topics="jobs")
    await directory.load(container, [county, OFFICES["tropoje"], OFFICES["kukes"]])
    [jobs] = await (await started(container)).say(TROPOJE_ASKS)
    assert jobs.text.index(OFFICES["tropoje"]["title_sq"]) < jobs.text.index(county["title_sq"])
    assert OFFICES["kukes"]["title_sq"] not in jobs.text


async def test_an_entry_not_checked_for_a_year_carries_the_warning(
    container: Container,
) -> None:
    await directory.load(container, [{**OFFICES["tropoje"], "checked": YEAR_AND_A_BIT}])
    [old] = await (await started(container)).say(TROPOJE_ASKS)
    assert sq(container, "directory.stale") in old.text
    assert "para më shumë se një viti" in old.text
    await directory.load(container, [OFFICES["tropoje"]])  # checked again, re-imported
    [fresh] = await (await started(container, "other")).say(TROPOJE_ASKS)
    assert sq(container, "directory.stale") not in fresh.text


async def test_the_generic_line_gives_way_to_the_office(container: Container) -> None:
    await directory.load(container, [OFFICES["tropoje"]])
    chat = await started(container)
    await chat.say(TROPOJE_ASKS)
    [portal] = await chat.press("page:jobs.portal")
    replaced = container.content.page("sq", "jobs.portal").services.replaces  # type: ignore[union-attr]
    assert replaced and replaced not in portal.text
    assert OFFICES["tropoje"]["title_sq"] in portal.text
    assert "Te puna.gov.al punëdhënësit" in portal.text and "Pse të regjistrohesh?" in portal.text
    assert portal.text.index(OFFICES["tropoje"]["title_sq"]) < portal.text.index("Pse të")


@pytest.mark.parametrize("page_id", ["trainings.register", "jobs.portal"])
async def test_the_employment_office_pages_show_it_too(
    container: Container, page_id: str
) -> None:
    await directory.load(container, [OFFICES["has"]])
    [page] = await (await started(container)).press(f"page:{page_id}")
    assert OFFICES["has"]["title_sq"] in page.text


async def test_a_migration_counter_entry_replaces_we_do_not_know(container: Container) -> None:
    counter = service(9, id="sportel-kukes", title_sq="Sporteli i Migracionit (shembull)",
                      municipalities="kukes", topics="human.counters")
    await directory.load(container, [counter, OFFICES["kukes"]])
    [page] = await (await started(container)).press("page:human.counters")
    assert counter["title_sq"] in page.text
    assert OFFICES["kukes"]["title_sq"] not in page.text
    assert "S'e dimë nëse në Kukës ka sportel" not in page.text
    assert "Merr me vete kartën e identitetit" in page.text


async def test_in_english_the_english_name_and_labels(container: Container) -> None:
    await directory.load(container, [OFFICES["tropoje"]])
    chat = await started(container)
    await chat.say("english")
    [jobs] = await chat.say("where is the employment office in Tropoje")
    en = container.translators["en"]
    assert en("directory.name", name=OFFICES["tropoje"]["title_en"]) in jobs.text
    assert en("directory.hours", value=OFFICES["tropoje"]["hours"]) in jobs.text
    assert container.content.page("en", "jobs").services.lead in jobs.text  # type: ignore[union-attr]


async def test_a_first_message_asking_for_the_office_gets_it_after_the_welcome(
    container: Container,
) -> None:
    await directory.load(container, list(OFFICES.values()))
    intro, jobs = await Conversation(container, "new").say(TROPOJE_ASKS)
    assert sq(container, "welcome.text") in intro.text
    assert OFFICES["tropoje"]["title_sq"] in jobs.text
    assert OFFICES["kukes"]["title_sq"] not in jobs.text


async def test_the_next_page_remembers_where_the_conversation_said_for_a_day(
    container: Container,
) -> None:
    await directory.load(container, list(OFFICES.values()))
    chat = await started(container)
    await chat.say(TROPOJE_ASKS)
    [portal] = await chat.press("page:jobs.portal")
    assert OFFICES["tropoje"]["title_sq"] in portal.text
    assert OFFICES["kukes"]["title_sq"] not in portal.text

    async with container.unit_of_work() as uow:  # two days go by
        user = await uow.users.get_locked(CHANNEL, chat.address)
        assert user is not None
        state = await uow.states.for_user(user)
        state.data = {**state.data, "directory": {**state.data["directory"], "on": "2026-01-01"}}
        await uow.commit()
    [later] = await chat.press("page:jobs.portal")
    assert later.text.index(OFFICES["kukes"]["title_sq"]) < later.text.index(
        OFFICES["tropoje"]["title_sq"])
    async with container.unit_of_work() as uow:
        user = await uow.users.get_locked(CHANNEL, chat.address)
        assert user is not None and "directory" not in (await uow.states.for_user(user)).data
