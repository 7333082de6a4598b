"""The case page in full over HTTP: reassigning (supervisors and admins only), closing with a
partner organisation from the list, the conversation between staff and the young person (not
shown to a partner's worker), WhatsApp's window open and closed, the queue's partner filter, and
the CSRF token on the new forms."""

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.channels.whatsapp import WINDOW
from bot.storage.models import User, utcnow
from bot.web.casefile import WHATSAPP_WINDOW
from tests.support.console import (
    console_routes,
    csrf_of,
    form_token,
    member,
    sign_in,
    young_person_with_referral,
)
from tests.support.conversation import Conversation
from tests.support.referrals import events, stored

WHATSAPP_USER = "+355691110000"


@pytest.fixture
async def client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(container, pages=console_routes(container))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as c:
        yield c


def say(container: Container, key: str, **values: object) -> str:
    return container.translators["sq"](key, **values).replace("'", "&#39;")


def before(container: Container, key: str, name: str) -> str:
    """The catalog text of ``key`` up to its ``{name}`` placeholder."""
    return say(container, key, **{name: "\x00"}).split("\x00")[0]


async def member_id(container: Container, email: str) -> int:
    async with container.unit_of_work() as uow:
        found = await uow.staff.by_email(email)
        assert found is not None
        return found.id


async def test_a_supervisor_reassigns_and_a_caseworker_may_not(
    container: Container, client: httpx.AsyncClient,
) -> None:
    boss = await member(container, "Sara", role="supervisor")
    worker = await member(container, "Anna")
    referral = await young_person_with_referral(container)
    anna = await member_id(container, worker)

    await sign_in(client, worker)
    page = await client.get(f"/staff/referrals/{referral}")
    assert f"/staff/referrals/{referral}/reassign" not in page.text
    refused = await client.post(f"/staff/referrals/{referral}/reassign",
                                data={"csrf": csrf_of(page.text), "to": str(anna)})
    assert refused.status_code == 403 and (await stored(container, referral)).status == "new"
    await client.post("/staff/logout", data={"csrf": csrf_of(page.text)})

    await sign_in(client, boss)
    page = await client.get(f"/staff/referrals/{referral}")
    assert f'<label for="to">{say(container, "console.action.reassign_label")}' in page.text
    assert f'<option value="{anna}">Anna</option>' in page.text
    done = await client.post(f"/staff/referrals/{referral}/reassign",
                             data={"csrf": csrf_of(page.text), "to": str(anna)},
                             follow_redirects=True)
    assert say(container, "console.done.reassigned") in done.text
    assert (await stored(container, referral)).claimed_by_id == anna
    assert [e[0] for e in await events(container, referral)][-1] == "reassigned"
    nobody = await client.post(f"/staff/referrals/{referral}/reassign",
                               data={"csrf": csrf_of(page.text), "to": "99999"},
                               follow_redirects=True)
    assert say(container, "console.done.no_member") in nobody.text


async def test_closing_with_a_partner_from_the_list_stores_and_shows_it(
    container: Container, client: httpx.AsyncClient,
) -> None:
    await member(container, "Drita", role="partner", partner="Qendra Rinore Kukës")
    worker = await member(container, "Anna")
    await young_person_with_referral(container, "5550009", partner="Zyra e Punës")
    referral = await young_person_with_referral(container)
    await sign_in(client, worker)
    token = await form_token(client, f"/staff/referrals/{referral}")
    await client.post(f"/staff/referrals/{referral}/claim", data={"csrf": token})

    page = (await client.get(f"/staff/referrals/{referral}")).text
    assert '<select id="partner" name="partner">' in page
    assert '<option value="Qendra Rinore Kukës">' in page  # a partner member's organisation
    assert '<option value="Zyra e Punës">' in page  # one a referral was routed to
    forged = await client.post(f"/staff/referrals/{referral}/close", data={
        "csrf": token, "outcome": "enrolled_training", "partner": "Someone Else"}, follow_redirects=True)
    assert say(container, "console.done.no_partner") in forged.text
    assert (await stored(container, referral)).status != "closed"

    closed = await client.post(f"/staff/referrals/{referral}/close", data={
        "csrf": token, "outcome": "enrolled_training", "partner": "Qendra Rinore Kukës"},
        follow_redirects=True)
    assert say(container, "console.done.closed") in closed.text
    assert "<dd>Qendra Rinore Kukës</dd>" in closed.text
    kept = await stored(container, referral)
    assert (kept.status, kept.outcome, kept.partner) == (
        "closed", "enrolled_training", "Qendra Rinore Kukës")


async def test_the_conversation_shows_on_the_case_page_but_not_to_a_partner(
    container: Container, client: httpx.AsyncClient,
) -> None:
    worker = await member(container, "Anna")
    partner = await member(container, "Drita", role="partner", partner="Qendra Rinore")
    referral = await young_person_with_referral(container, "5550001", partner="Qendra Rinore")
    young = Conversation(container, "5550001", channel="telegram")
    await young.say("Kjo është para kërkesës")  # their chat with the bot: never shown

    await sign_in(client, worker)
    token = await form_token(client, f"/staff/referrals/{referral}")
    await client.post(f"/staff/referrals/{referral}/claim", data={"csrf": token})
    await client.post(f"/staff/referrals/{referral}/reply",
                      data={"csrf": token, "text": "Tung! Kur mund të flasim?"})
    await young.say("Nesër në mëngjes, ju lutem")

    page = (await client.get(f"/staff/referrals/{referral}")).text
    shown = page[page.index('id="conversation"'):]
    assert shown.index("Tung! Kur mund të flasim?") < shown.index("Nesër në mëngjes, ju lutem")
    assert f"{say(container, 'console.said.staff')} · Anna" in shown
    assert say(container, "console.said.young_person") in shown
    assert "Kjo është para kërkesës" not in page
    await client.post("/staff/logout", data={"csrf": token})

    await sign_in(client, partner)
    hidden = (await client.get(f"/staff/referrals/{referral}")).text
    assert say(container, "console.case.conversation_hidden") in hidden
    assert "Nesër në mëngjes" not in hidden and "Kur mund të flasim" not in hidden
    await client.post("/staff/logout", data={"csrf": csrf_of(hidden)})

    await young.say("fshi")  # they delete their data: the conversation goes with it
    await young.say("po")
    await sign_in(client, worker)
    erased = (await client.get(f"/staff/referrals/{referral}")).text
    assert say(container, "console.case.conversation_empty") in erased
    assert "Nesër në mëngjes" not in erased and "Kur mund të flasim" not in erased


async def test_the_whatsapp_window_shows_open_and_then_closed(
    container: Container, client: httpx.AsyncClient,
) -> None:
    assert WHATSAPP_WINDOW == WINDOW  # the console's copy of the channel's window
    worker = await member(container, "Anna")
    referral = await young_person_with_referral(container, WHATSAPP_USER, channel="whatsapp")
    telegram = await young_person_with_referral(container, "5550001")
    await sign_in(client, worker)

    opened = (await client.get(f"/staff/referrals/{referral}")).text
    assert 'class="window open"' in opened
    assert before(container, "console.window.open", "until") in opened
    assert 'class="window' not in (await client.get(f"/staff/referrals/{telegram}")).text

    async with container.sessions() as session:
        await session.execute(update(User).where(User.address == WHATSAPP_USER)
                              .values(last_seen_at=utcnow() - timedelta(hours=25)))
        await session.commit()
    shut = (await client.get(f"/staff/referrals/{referral}")).text
    assert 'class="window closed"' in shut
    assert before(container, "console.window.closed", "since") in shut


async def test_supervisors_filter_the_queue_by_partner_and_caseworkers_see_no_such_filter(
    container: Container, client: httpx.AsyncClient,
) -> None:
    boss = await member(container, "Sara", role="supervisor")
    worker = await member(container, "Anna")
    ours = await young_person_with_referral(container, "5550001", partner="Qendra Rinore")
    other = await young_person_with_referral(container, "5550002", partner="Zyra e Punës")
    plain = await young_person_with_referral(container, "5550003")

    await sign_in(client, boss)
    everything = (await client.get("/staff/")).text
    assert '<select id="partner" name="partner">' in everything
    assert all(f"#{r} " in everything for r in (ours, other, plain))
    filtered = (await client.get("/staff/?partner=Qendra+Rinore")).text
    assert f"#{ours} " in filtered and f"#{other} " not in filtered and f"#{plain} " not in filtered
    assert '<option value="Qendra Rinore" selected>' in filtered
    await client.post("/staff/logout", data={"csrf": csrf_of(filtered)})

    await sign_in(client, worker)
    queue = (await client.get("/staff/?partner=Qendra+Rinore")).text
    assert 'name="partner"' not in queue
    assert all(f"#{r} " in queue for r in (ours, other, plain))  # the filter is not theirs


async def test_the_new_forms_refuse_a_post_without_the_csrf_token(
    container: Container, client: httpx.AsyncClient,
) -> None:
    boss = await member(container, "Sara", role="supervisor")
    referral = await young_person_with_referral(container)
    await sign_in(client, boss)
    target = await member_id(container, boss)
    for data in ({}, {"csrf": "forged"}):
        for action, fields in (("reassign", {"to": str(target)}),
                               ("close", {"outcome": "declined", "partner": ""})):
            answer = await client.post(f"/staff/referrals/{referral}/{action}",
                                       data={**data, **fields})
            assert answer.status_code == 403, action
    assert (await stored(container, referral)).status == "new"
    assert [e[0] for e in await events(container, referral)] == ["created"]
