"""The console's catalogue pages over HTTP: who may open them, the CSRF token on every form,
the add and edit form with the import's checks said next to each field, importing a file all
or nothing (and a dry run), publishing as a young person then meets it, and the directory
with its long-unchecked entries marked."""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.bootstrap import Container
from bot.storage.catalogue import LocalService, Opportunity
from bot.storage.models import utcnow
from tests.support.catalogue_rows import (
    OPPORTUNITY_HEADER,
    SERVICE_HEADER,
    TODAY,
    opportunity,
    service,
    write,
)
from tests.support.managing import client_for, say, signed_in, token
from tests.support.opportunities import publish, row

PAGES = ("/staff/opportunities", "/staff/opportunities/new", "/staff/opportunities/import",
         "/staff/services", "/staff/services/import")


async def stored(container: Container) -> dict[str, Opportunity]:
    async with container.sessions() as session:
        found = (await session.execute(select(Opportunity))).scalars().all()
        session.expunge_all()
    return {e.id: e for e in found}


async def shown_to_young_people(container: Container) -> set[str]:
    """The opportunities the bot offers today (the catalogue read its conversation uses)."""
    async with container.unit_of_work() as uow:
        return {o.id for o in await uow.catalogue.open_opportunities(TODAY)}


def form(entry: dict[str, str], csrf: str | None = None, published: bool = True
         ) -> dict[str, str | list[str]]:
    """A row as the form sends it: one value per ticked municipality and sector."""
    fields: dict[str, str | list[str]] = {
        k: v for k, v in entry.items() if k not in ("municipalities", "sectors")}
    for k in ("municipalities", "sectors"):
        fields[k] = [v for v in entry.get(k, "").split(",") if v]
    if published:
        fields["published"] = "yes"
    if csrf is not None:
        fields["csrf"] = csrf
    return fields


def upload(path: Path) -> dict[str, tuple[str, bytes]]:
    return {"file": (path.name, path.read_bytes())}


@pytest.mark.parametrize("role", ["caseworker", "partner", "viewer"])
async def test_only_supervisors_and_admins_manage_the_catalogue(
    container: Container, role: str,
) -> None:
    await publish(container, row("kept"))
    async with signed_in(container, "Anna", role, partner="Org") as refused:
        for path in PAGES:
            assert (await refused.get(path)).status_code == 403, path
        csrf = await token(refused, "/staff/manage")
        answer = await refused.post("/staff/opportunities/kept/unpublish", data={"csrf": csrf})
        assert answer.status_code == 403
        manage = await refused.get("/staff/manage")
        assert "/staff/opportunities" not in manage.text
    assert "kept" in await shown_to_young_people(container)
    for allowed in ("supervisor", "admin"):
        async with signed_in(container, allowed.title(), allowed) as client:
            for path in PAGES:
                assert (await client.get(path)).status_code == 200, (allowed, path)
    async with client_for(container) as nobody:
        assert (await nobody.get("/staff/opportunities")).headers["location"] == "/staff/login"


async def test_every_catalogue_form_refuses_a_post_without_its_csrf_token(
    container: Container, tmp_path: Path,
) -> None:
    await publish(container, row("kept"))
    good = write(tmp_path / "good.csv", [opportunity(1)], OPPORTUNITY_HEADER)
    services = write(tmp_path / "services.csv", [service(1)], SERVICE_HEADER)
    async with signed_in(container, "Sara", "supervisor") as client:
        for data in ({}, {"csrf": "forged"}):
            posts = [
                client.post("/staff/opportunities/new", data={**form(row("new")), **data}),
                client.post("/staff/opportunities/kept/edit",
                            data={**form(row("kept", title_sq="Tjetër")), **data}),
                client.post("/staff/opportunities/kept/unpublish", data=data),
                client.post("/staff/opportunities/kept/publish", data=data),
                client.post("/staff/opportunities/import", data=data, files=upload(good)),
                client.post("/staff/services/import", data=data, files=upload(services)),
            ]
            for sent in posts:
                assert (await sent).status_code == 403
    entries = await stored(container)
    assert list(entries) == ["kept"] and entries["kept"].title_sq == "Titulli kept"
    async with container.unit_of_work() as uow:
        assert list(await uow.catalogue.listing(LocalService)) == []


async def test_a_bad_field_is_said_next_to_it_and_nothing_is_saved(
    container: Container, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="youthbot.console")
    async with signed_in(container, "Sara", "supervisor") as client:
        csrf = await token(client, "/staff/opportunities/new")
        past = (TODAY - timedelta(days=1)).isoformat()
        bad = row("bad", deadline=past, title_sq="", ages=("20", "18"))
        answer = await client.post("/staff/opportunities/new",
                                   data=form(bad, csrf))
        assert answer.status_code == 400
        page = answer.text
        assert say(container, "console.opportunities.fix") in page
        for field, key, values in (("deadline", "console.manage.rule.deadline", {}),
                                   ("title_sq", "console.manage.rule.required_text",
                                    {"limit": 200}),
                                   ("max_age", "console.manage.rule.max_age", {})):
            assert (f'<p class="field-error" id="{field}-error">'
                    f'{say(container, key, **values)}</p>') in page
            assert f'aria-describedby="{field}-error"' in page
        assert 'value="20"' in page  # what was typed stays in the form
        assert await stored(container) == {}

        good = row("good", places="has,tropoje", sectors="ict")
        created = await client.post("/staff/opportunities/new",
                                    data=form(good, csrf))
        assert created.status_code == 303
        listing = await client.get(created.headers["location"])
        assert say(container, "console.manage.done.created") in listing.text
        assert "Titulli good" in listing.text
        entry = (await stored(container))["good"]
        assert entry.municipalities == ["has", "tropoje"] and entry.sectors == ["ict"]

        again = await client.post("/staff/opportunities/new", data=form(good, csrf))
        assert again.status_code == 400
        assert say(container, "console.manage.rule.exists") in again.text

        edit = await client.get("/staff/opportunities/good/edit")
        assert edit.status_code == 200 and 'value="Titulli good"' in edit.text
        broken = await client.post("/staff/opportunities/good/edit",
                                   data=form(good | {"checked": "2999-01-01"}, csrf))
        assert broken.status_code == 400
        assert say(container, "console.manage.rule.checked") in broken.text
        assert (await stored(container))["good"].checked == entry.checked
        changed = await client.post("/staff/opportunities/good/edit",
                                    data=form(good | {"title_sq": "Kurs i ri"}, csrf))
        assert changed.status_code == 303
        assert (await stored(container))["good"].title_sq == "Kurs i ri"
        missing = await client.get("/staff/opportunities/nothing/edit")
        assert missing.status_code == 404
    lines = [r for r in caplog.records if r.getMessage() == "console action"]
    assert [r.fields["action"] for r in lines] == ["opportunity.create", "opportunity.update"]
    assert all("@" not in str(r.fields) for r in lines)


async def test_publishing_and_unpublishing_change_what_young_people_are_shown(
    container: Container,
) -> None:
    await publish(container, row("course"))
    async with signed_in(container, "Sara", "supervisor") as client:
        csrf = await token(client, "/staff/opportunities")
        hidden = await client.post("/staff/opportunities/course/unpublish", data={"csrf": csrf})
        assert hidden.status_code == 303
        page = await client.get(hidden.headers["location"])
        assert say(container, "console.manage.done.unpublished") in page.text
        assert say(container, "console.opportunities.hidden") in page.text
        assert await shown_to_young_people(container) == set()

        shown = await client.post("/staff/opportunities/course/publish", data={"csrf": csrf})
        assert shown.status_code == 303
        assert await shown_to_young_people(container) == {"course"}
        gone = await client.post("/staff/opportunities/nothing/publish", data={"csrf": csrf})
        assert gone.status_code == 404


async def test_the_list_shows_views_interest_and_referrals(container: Container) -> None:
    await publish(container, row("course"), row("other"))
    async with container.unit_of_work() as uow:
        uow.catalogue.count("view", ["course", "course", "course"], utcnow())
        uow.catalogue.count("interested", ["course"], utcnow())
        await uow.catalogue.write()
        await uow.commit()
    async with signed_in(container, "Sara", "supervisor") as client:
        page = (await client.get("/staff/opportunities")).text
    card = page[page.index('id="opportunity-course"'):page.index('id="opportunity-other"')]
    views = say(container, "console.opportunities.views")
    interested = say(container, "console.opportunities.interested")
    assert f"<dt>{views}</dt><dd>3</dd>" in card
    assert f"<dt>{interested}</dt><dd>1</dd>" in card


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_a_good_file_imports_and_a_dry_run_writes_nothing(
    container: Container, tmp_path: Path, suffix: str,
) -> None:
    path = write(tmp_path / f"good{suffix}", [opportunity(1), opportunity(2)],
                 OPPORTUNITY_HEADER)
    async with signed_in(container, "Sara", "supervisor") as client:
        csrf = await token(client, "/staff/opportunities/import")
        dry = await client.post("/staff/opportunities/import",
                                data={"csrf": csrf, "dry_run": "1"}, files=upload(path))
        assert dry.status_code == 200
        counts = {"added": 2, "updated": 0, "unchanged": 0}
        assert say(container, "console.import.dry_done", **counts) in dry.text
        assert await stored(container) == {}

        done = await client.post("/staff/opportunities/import", data={"csrf": csrf},
                                 files=upload(path))
        assert done.status_code == 200
        assert say(container, "console.import.done", **counts) in done.text
    assert set(await stored(container)) == {"opp-001", "opp-002"}


async def test_a_bad_file_lists_its_problems_by_row_and_imports_nothing(
    container: Container, tmp_path: Path,
) -> None:
    past = (TODAY - timedelta(days=2)).isoformat()
    path = write(tmp_path / "bad.csv", [opportunity(1), opportunity(2, kind="party"),
                                        opportunity(3, deadline=past)],
                 [*OPPORTUNITY_HEADER, "colour"])
    async with signed_in(container, "Sara", "supervisor") as client:
        csrf = await token(client, "/staff/opportunities/import")
        answer = await client.post("/staff/opportunities/import", data={"csrf": csrf},
                                   files=upload(path))
        assert answer.status_code == 400
        page = answer.text
        assert say(container, "console.import.problems", count=3) in page
        kinds = "training, job, internship, grant, other"
        assert (f"{say(container, 'console.import.header')}, colour: "
                f"{say(container, 'console.manage.rule.unknown_column')}") in page
        assert (f"{say(container, 'console.import.row', row=3)}, kind: "
                f"{say(container, 'console.manage.rule.kind', kinds=kinds)}") in page
        assert (f"{say(container, 'console.import.row', row=4)}, deadline: "
                f"{say(container, 'console.manage.rule.deadline')}") in page

        text = tmp_path / "notes.txt"
        text.write_text("id,title_sq\n")
        unreadable = await client.post("/staff/opportunities/import", data={"csrf": csrf},
                                       files=upload(text))
        assert unreadable.status_code == 400
        assert say(container, "console.manage.import.unreadable") in unreadable.text
    assert await stored(container) == {}


async def test_the_directory_marks_entries_unchecked_for_a_year_and_imports_a_file(
    container: Container, tmp_path: Path,
) -> None:
    old = (TODAY - timedelta(days=400)).isoformat()
    path = write(tmp_path / "services.csv", [service(1), service(2, checked=old)],
                 SERVICE_HEADER)
    bad = write(tmp_path / "bad.csv", [service(3, topics="nowhere")], SERVICE_HEADER)
    async with signed_in(container, "Sara", "supervisor") as client:
        csrf = await token(client, "/staff/services/import")
        refused = await client.post("/staff/services/import", data={"csrf": csrf},
                                    files=upload(bad))
        assert refused.status_code == 400
        assert (f"{say(container, 'console.import.row', row=2)}, topics: "
                f"{say(container, 'console.manage.rule.topics')}") in refused.text
        done = await client.post("/staff/services/import", data={"csrf": csrf},
                                 files=upload(path))
        assert done.status_code == 200
        page = (await client.get("/staff/services")).text
    stale = say(container, "console.services.stale")
    fresh_card = page[page.index('id="service-svc-01"'):page.index('id="service-svc-02"')]
    old_card = page[page.index('id="service-svc-02"'):]
    assert stale not in fresh_card and stale in old_card
