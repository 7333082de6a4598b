"""The staff console over HTTP, as a browser meets it: signing in, the lock after wrong
passwords, the CSRF token on every form, what a partner's worker and a viewer may see and do,
a disabled member signed out at once, expiry, and no console without WEB_SECRET_KEY."""

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from bot import roles
from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.config import Settings
from bot.staff import accounts
from bot.storage.models import OutboxMessage, Referral
from tests.fakes.server import serving
from tests.support.console import (
    PASSWORD,
    console_routes,
    csrf_of,
    form_token,
    member,
    sign_in,
    with_console,
    young_person_with_referral,
)
from tests.support.referrals import Clock, events, stored

PHONE = "+355691234567"
ACTIONS = ("claim", "reply", "note", "unclaim", "close")


def client_for(container: Container, **options: object) -> httpx.AsyncClient:
    app = create_app(container, pages=console_routes(container, **options))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://testserver")


@pytest.fixture
async def client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(container) as c:
        yield c


def say(container: Container, key: str, **values: object) -> str:
    """What the console shows in Albanian (the default), as the page escapes it."""
    return container.translators["sq"](key, **values).replace("'", "&#39;")


async def test_a_caseworker_signs_in_and_a_wrong_password_does_not(
    container: Container, client: httpx.AsyncClient,
) -> None:
    email = await member(container, "Anna")

    wrong = await sign_in(client, email, "not the password")
    assert wrong.status_code == 401 and say(container, "console.login.wrong") in wrong.text
    assert (await client.get("/staff/")).headers["location"] == "/staff/login"

    right = await sign_in(client, email)
    assert right.status_code == 303 and right.headers["location"] == "/staff/"
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/staff" in cookie
    queue = await client.get("/staff/")
    assert queue.status_code == 200 and say(container, "console.queue.title") in queue.text
    assert "Anna" in queue.text


async def test_ten_wrong_passwords_lock_the_account_on_every_worker(
    container: Container, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture,
) -> None:
    email = await member(container, "Anna")
    other = await member(container, "Besa")
    caplog.set_level(logging.INFO, logger="youthbot.console")
    for _ in range(10):
        assert (await sign_in(client, email, "guess")).status_code == 401

    locked = await sign_in(client, email)  # the right password, now refused
    assert locked.status_code == 429 and say(container, "console.login.locked") in locked.text
    async with client_for(container) as second_worker:  # another process, the same database
        assert (await sign_in(second_worker, email)).status_code == 429
        assert (await sign_in(second_worker, other)).status_code == 303  # others still may
    assert (await client.get("/staff/")).status_code == 303

    outcomes = [r.fields["outcome"] for r in caplog.records  # type: ignore[attr-defined]
                if r.name == "youthbot.console" and r.getMessage() == "console sign-in"]
    assert outcomes == ["wrong"] * 10 + ["locked", "locked", "ok"]
    logged = " ".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in caplog.records)
    assert email not in logged and "anna" not in logged.lower() and PASSWORD not in logged


async def test_the_lock_ends_after_a_while(container: Container) -> None:
    clock = Clock()
    email = await member(container, "Anna")
    async with client_for(container, clock=clock) as client:
        for _ in range(10):
            await sign_in(client, email, "guess")
        assert (await sign_in(client, email)).status_code == 429
        clock.advance(minutes=16)
        assert (await sign_in(client, email)).status_code == 303


async def test_every_form_refuses_a_post_without_its_csrf_token(
    container: Container, client: httpx.AsyncClient,
) -> None:
    email = await member(container, "Anna")
    referral = await young_person_with_referral(container)

    page = await client.get("/staff/login")
    assert csrf_of(page.text)
    no_token = await client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert no_token.status_code == 403
    assert (await sign_in(client, email)).status_code == 303
    token = await form_token(client)

    for action in ACTIONS:
        for data in ({}, {"csrf": "forged"}):
            answer = await client.post(f"/staff/referrals/{referral}/{action}",
                                       data={**data, "text": "hello", "outcome": "declined"})
            assert answer.status_code == 403, action
    assert (await client.post("/staff/logout", data={})).status_code == 403
    assert (await stored(container, referral)).status == "new"
    assert [e[0] for e in await events(container, referral)] == ["created"]

    assert (await client.post("/staff/logout", data={"csrf": token})).status_code == 303
    assert (await client.get("/staff/")).headers["location"] == "/staff/login"


async def test_a_caseworker_claims_replies_notes_and_closes_from_the_case_page(
    container: Container, client: httpx.AsyncClient,
) -> None:
    email = await member(container, "Anna")
    normal = await young_person_with_referral(container, "5550001")
    urgent = await young_person_with_referral(container, "5550002", priority="urgent",
                                              topic="smuggling")
    await sign_in(client, email)

    queue = (await client.get("/staff/")).text
    assert queue.index(f"#{urgent} ") < queue.index(f"#{normal} ")
    only_urgent = (await client.get("/staff/?urgent=1")).text
    assert f"#{urgent} " in only_urgent and f"#{normal} " not in only_urgent
    found = await client.get(f"/staff/?q=%23{normal}")
    assert found.headers["location"] == f"/staff/referrals/{normal}"

    page = await client.get(f"/staff/referrals/{urgent}")
    assert page.status_code == 200 and PHONE in page.text
    token = csrf_of(page.text)
    claimed = await client.post(f"/staff/referrals/{urgent}/claim", data={"csrf": token},
                                follow_redirects=True)
    assert say(container, "console.done.claimed") in claimed.text
    replied = await client.post(f"/staff/referrals/{urgent}/reply",
                                data={"csrf": token, "text": "Tung! Të telefonoj sot."},
                                follow_redirects=True)
    assert say(container, "console.done.answered") in replied.text
    noted = await client.post(f"/staff/referrals/{urgent}/note",
                              data={"csrf": token, "text": "Thirra, s'u përgjigj"},
                              follow_redirects=True)
    assert "Thirra, s&#39;u përgjigj" in noted.text
    unknown = await client.post(f"/staff/referrals/{urgent}/close",
                                data={"csrf": token, "outcome": "nonsense"},
                                follow_redirects=True)
    assert say(container, "console.done.needs_outcome") in unknown.text
    closed = await client.post(f"/staff/referrals/{urgent}/close",
                               data={"csrf": token, "outcome": "declined"},
                               follow_redirects=True)
    assert say(container, "console.done.closed") in closed.text
    assert say(container, "staff.outcome.declined") in closed.text

    assert (await stored(container, urgent)).outcome == "declined"
    async with container.sessions() as session:
        said = (await session.scalars(select(OutboxMessage.text).where(
            OutboxMessage.address == "5550002").order_by(OutboxMessage.id))).all()
    assert any("Tung! Të telefonoj sot." in text for text in said)
    assert (await client.get("/staff/referrals/99999")).status_code == 404


async def test_a_partner_sees_only_their_organisations_referrals_and_no_phone_number(
    container: Container, client: httpx.AsyncClient,
) -> None:
    email = await member(container, "Drita", role="partner", partner="Qendra Rinore")
    ours = await young_person_with_referral(container, "5550001", partner="Qendra Rinore")
    theirs = await young_person_with_referral(container, "5550002", partner="Tjetër OJF")
    await sign_in(client, email)

    queue = (await client.get("/staff/")).text
    assert f"#{ours} " in queue and f"#{theirs} " not in queue and PHONE not in queue
    page = await client.get(f"/staff/referrals/{ours}")
    assert page.status_code == 200 and PHONE not in page.text
    assert "Dua pune si kuzhinier" not in page.text
    assert (await client.get(f"/staff/referrals/{theirs}")).status_code == 403
    token = csrf_of(page.text)
    refused = await client.post(f"/staff/referrals/{theirs}/claim", data={"csrf": token})
    assert refused.status_code == 403 and (await stored(container, theirs)).status == "new"
    claimed = await client.post(f"/staff/referrals/{ours}/claim", data={"csrf": token})
    assert claimed.status_code == 303 and (await stored(container, ours)).status == "claimed"


async def test_a_viewer_sees_the_queue_but_cannot_act(
    container: Container, client: httpx.AsyncClient,
) -> None:
    email = await member(container, "Vera", role="viewer")
    referral = await young_person_with_referral(container)
    await sign_in(client, email)

    queue = await client.get("/staff/")
    assert queue.status_code == 200 and f"#{referral} " in queue.text
    page = await client.get(f"/staff/referrals/{referral}")
    assert page.status_code == 200 and PHONE not in page.text
    assert not any(f"/staff/referrals/{referral}/{action}" in page.text for action in ACTIONS)
    token = csrf_of(page.text)  # the sign-out form's
    for action in ACTIONS:
        answer = await client.post(f"/staff/referrals/{referral}/{action}",
                                   data={"csrf": token, "text": "x", "outcome": "declined"})
        assert answer.status_code == 403, action
    assert (await stored(container, referral)).status == "new"


async def test_a_disabled_member_is_signed_out_at_their_next_request(
    container: Container, client: httpx.AsyncClient,
) -> None:
    email = await member(container, "Anna")
    referral = await young_person_with_referral(container)
    await sign_in(client, email)
    token = await form_token(client)

    async with container.unit_of_work() as uow:
        await accounts.disable(uow, email)
        await uow.commit()

    assert (await client.get("/staff/")).headers["location"] == "/staff/login"
    refused = await client.post(f"/staff/referrals/{referral}/claim", data={"csrf": token})
    assert refused.status_code == 403 and (await stored(container, referral)).status == "new"
    assert (await sign_in(client, email)).status_code == 401


async def test_a_session_expires_after_twelve_idle_hours(container: Container) -> None:
    clock = Clock()
    email = await member(container, "Anna")
    async with client_for(container, clock=clock) as client:
        await sign_in(client, email)
        clock.advance(hours=11)
        assert (await client.get("/staff/")).status_code == 200  # and this renews it
        clock.advance(hours=11)
        assert (await client.get("/staff/")).status_code == 200
        clock.advance(hours=13)
        assert (await client.get("/staff/")).headers["location"] == "/staff/login"


async def test_no_console_without_web_secret_key(container: Container) -> None:
    assert container.settings.web_secret_key is None
    app = create_app(container, pages=console_routes(container, container.settings))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        for path in ("/staff/login", "/staff/", "/staff/referrals/1"):
            assert (await client.get(path)).status_code == 404
        assert (await client.post("/staff/login", data={})).status_code == 404


async def test_the_console_speaks_english_when_asked(
    container: Container, client: httpx.AsyncClient,
) -> None:
    page = await client.get("/staff/login?lang=en")
    assert container.translators["en"]("console.login.title") in page.text
    assert '<html lang="en">' in page.text
    again = await client.get("/staff/login")
    assert '<html lang="en">' in again.text


async def test_the_referral_row_is_left_alone_by_an_unknown_action(
    container: Container, client: httpx.AsyncClient,
) -> None:
    email = await member(container, "Anna")
    referral = await young_person_with_referral(container)
    await sign_in(client, email)
    token = await form_token(client)
    answer = await client.post(f"/staff/referrals/{referral}/explode", data={"csrf": token})
    assert answer.status_code == 404
    async with container.sessions() as session:
        assert (await session.get(Referral, referral)) is not None


async def test_a_caseworker_of_the_telegram_group_gets_an_email_and_signs_in(
    container: Container, client: httpx.AsyncClient,
) -> None:
    async with container.unit_of_work() as uow:
        await accounts.ensure_caseworkers(uow, [9001])  # from TELEGRAM_STAFF_USER_IDS
        await accounts.set_password(uow, "ana@example.org", PASSWORD, telegram_id=9001)
        await uow.commit()
    assert (await sign_in(client, "ana@example.org")).status_code == 303
    assert (await client.get("/staff/")).status_code == 200


@pytest.mark.parametrize("role", [roles.Role.ALL, roles.Role.WEB])
async def test_youthbot_run_serves_the_console_only_with_web_secret_key(
    container: Container, settings: Settings, role: roles.Role,
) -> None:
    if role is roles.Role.WEB and settings.is_sqlite:
        pytest.skip("--role web needs PostgreSQL")
    for configured, expected in ((settings, 404), (with_console(settings), 200)):
        app = await roles.build_app(configured, role)
        async with serving(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as http:
            assert (await http.get("/staff/login")).status_code == expected
            assert (await http.get("/healthz")).status_code == 200


async def test_cookies_are_secure_when_the_public_address_is_https(container: Container) -> None:
    email = await member(container, "Anna")
    public = with_console(container.settings).model_copy(
        update={"public_base_url": "https://bot.example.org"})
    app = create_app(container, pages=console_routes(container, public))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        page = await client.get("/staff/login")  # plain http behind the proxy
        assert "secure" in page.headers["set-cookie"].lower()
        cookie = page.headers["set-cookie"].split(";")[0]  # a browser sends it over https
        signed_in = await client.post("/staff/login", headers={"Cookie": cookie}, data={
            "email": email, "password": PASSWORD, "csrf": csrf_of(page.text)})
        assert signed_in.status_code == 303
        assert "secure" in signed_in.headers["set-cookie"].lower()
