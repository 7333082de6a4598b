"""The console's forms for the directory of local services over HTTP: who may open them, the
CSRF token, the import's checks said next to each field, a duplicate id refused, and an edit
that changes what a young person asking for the employment office is told."""

import logging

import pytest
from markupsafe import escape

from bot.bootstrap import Container
from bot.storage.catalogue import LocalService
from tests.support import directory
from tests.support.catalogue_rows import service
from tests.support.conversation import Conversation
from tests.support.directory import OFFICES
from tests.support.managing import client_for, say, signed_in, token

PAGES = ("/staff/services/new", "/staff/services/zp-kukes/edit")
TROPOJE_ASKS = "ku osht zyra e punsimit n tropoj"


def form(entry: dict[str, str], csrf: str | None = None) -> dict[str, str | list[str]]:
    """A row as the form sends it: one value per ticked municipality and topic, published."""
    fields: dict[str, str | list[str]] = {
        k: v for k, v in entry.items() if k not in ("municipalities", "topics", "published")}
    for k in ("municipalities", "topics"):
        fields[k] = [v for v in entry.get(k, "").split(",") if v]
    fields["published"] = "yes"
    if csrf is not None:
        fields["csrf"] = csrf
    return fields


async def stored(container: Container) -> dict[str, LocalService]:
    async with container.unit_of_work() as uow:
        found = list(await uow.catalogue.listing(LocalService))
        uow.session.expunge_all()
    return {e.id: e for e in found}


async def told_in_tropoje(container: Container, address: str) -> str:
    """What the bot answers someone in Tropojë asking where the employment office is."""
    chat = Conversation(container, address)
    await chat.say("menu")
    [answer] = await chat.say(TROPOJE_ASKS)
    return answer.text


def sq(container: Container, key: str, **values: object) -> str:
    return container.translators["sq"](key, **values)


@pytest.mark.parametrize("role", ["caseworker", "partner", "viewer"])
async def test_only_supervisors_and_admins_add_or_change_a_service(
    container: Container, role: str,
) -> None:
    await directory.load(container, [OFFICES["kukes"]])
    async with signed_in(container, "Anna", role, partner="Org") as refused:
        for path in PAGES:
            assert (await refused.get(path)).status_code == 403, path
        csrf = await token(refused, "/staff/manage")
        posts = [refused.post("/staff/services/new", data=form(service(9), csrf)),
                 refused.post("/staff/services/zp-kukes/edit",
                              data=form(OFFICES["kukes"] | {"title_sq": "Tjetër"}, csrf))]
        for sent in posts:
            assert (await sent).status_code == 403
    entries = await stored(container)
    assert list(entries) == ["zp-kukes"]
    assert entries["zp-kukes"].title_sq == OFFICES["kukes"]["title_sq"]
    for allowed in ("supervisor", "admin"):
        async with signed_in(container, allowed.title(), allowed) as client:
            for path in PAGES:
                assert (await client.get(path)).status_code == 200, (allowed, path)
    async with client_for(container) as nobody:
        answer = await nobody.get("/staff/services/new")
        assert answer.headers["location"] == "/staff/login"


async def test_the_service_forms_refuse_a_post_without_its_csrf_token(
    container: Container,
) -> None:
    await directory.load(container, [OFFICES["kukes"]])
    async with signed_in(container, "Sara", "supervisor") as client:
        for data in ({}, {"csrf": "forged"}):
            posts = [client.post("/staff/services/new", data={**form(service(9)), **data}),
                     client.post("/staff/services/zp-kukes/edit",
                                 data={**form(OFFICES["kukes"] | {"title_sq": "Tjetër"}),
                                       **data})]
            for sent in posts:
                assert (await sent).status_code == 403
    entries = await stored(container)
    assert list(entries) == ["zp-kukes"]
    assert entries["zp-kukes"].title_sq == OFFICES["kukes"]["title_sq"]


async def test_a_bad_field_is_said_next_to_it_and_a_duplicate_id_is_refused(
    container: Container, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="youthbot.console")
    async with signed_in(container, "Sara", "supervisor") as client:
        listing = await client.get("/staff/services")
        assert 'href="/staff/services/new"' in listing.text
        assert say(container, "console.services.new") in listing.text
        new = await client.get("/staff/services/new")
        jobs = container.content.page("sq", "jobs").title
        assert f'value="jobs"> {escape(jobs)} (jobs)</label>' in new.text  # a topic by its title
        csrf = await token(client, "/staff/services/new")
        bad = service(5, title_sq="", topics="nowhere", checked="2999-01-01")
        answer = await client.post("/staff/services/new", data=form(bad, csrf))
        assert answer.status_code == 400
        assert say(container, "console.opportunities.fix") in answer.text
        for field, key, values in (("title_sq", "console.manage.rule.required_text",
                                    {"limit": 200}),
                                   ("topics", "console.manage.rule.topics", {}),
                                   ("checked", "console.manage.rule.checked", {})):
            assert (f'<p class="field-error" id="{field}-error">'
                    f'{say(container, key, **values)}</p>') in answer.text
        assert 'value="svc-05"' in answer.text  # what was typed stays in the form
        assert await stored(container) == {}

        created = await client.post("/staff/services/new", data=form(OFFICES["has"], csrf))
        assert created.status_code == 303
        assert created.headers["location"] == "/staff/services?m=created"
        listing = await client.get(created.headers["location"])
        assert say(container, "console.manage.done.created") in listing.text
        assert 'href="/staff/services/zp-krume/edit"' in listing.text
        entry = (await stored(container))["zp-krume"]
        assert entry.municipalities == ["has"] and entry.topics == ["jobs"]
        assert entry.hours == OFFICES["has"]["hours"] and entry.published

        again = await client.post("/staff/services/new",
                                  data=form(OFFICES["has"] | {"title_sq": "Tjetër"}, csrf))
        assert again.status_code == 400
        assert say(container, "console.manage.rule.exists") in again.text
        assert (await stored(container))["zp-krume"].title_sq == OFFICES["has"]["title_sq"]
        assert (await client.get("/staff/services/nothing/edit")).status_code == 404
        gone = await client.post("/staff/services/nothing/edit",
                                 data=form(OFFICES["has"], csrf))
        assert gone.status_code == 404
    lines = [r for r in caplog.records if r.getMessage() == "console action"]
    assert [r.fields["action"] for r in lines] == ["service.create"]


async def test_an_edit_changes_what_the_bot_tells_a_young_person(container: Container) -> None:
    office = OFFICES["tropoje"]
    async with signed_in(container, "Sara", "supervisor") as client:
        csrf = await token(client, "/staff/services/new")
        created = await client.post("/staff/services/new", data=form(office, csrf))
        assert created.status_code == 303
        before = await told_in_tropoje(container, "ana")
        assert sq(container, "directory.hours", value=office["hours"]) in before

        edit = await client.get("/staff/services/zp-bajram-curri/edit")
        assert edit.status_code == 200
        assert f'value="{office["phone"]}"' in edit.text
        broken = await client.post("/staff/services/zp-bajram-curri/edit",
                                   data=form(office | {"phone": "0" * 65}, csrf))
        assert broken.status_code == 400
        assert (f'<p class="field-error" id="phone-error">'
                f'{say(container, "console.manage.rule.text", limit=64)}</p>') in broken.text
        assert (await stored(container))["zp-bajram-curri"].phone == office["phone"]

        hours = "E hënë–e premte 09:00–14:00"
        changed = await client.post("/staff/services/zp-bajram-curri/edit",
                                    data=form(office | {"hours": hours, "phone": "000 111"},
                                              csrf))
        assert changed.status_code == 303
        page = await client.get(changed.headers["location"])
        assert say(container, "console.manage.done.updated") in page.text
    after = await told_in_tropoje(container, "beni")
    assert sq(container, "directory.hours", value=hours) in after
    assert sq(container, "directory.phone", value="000 111") in after
    assert sq(container, "directory.hours", value=office["hours"]) not in after
