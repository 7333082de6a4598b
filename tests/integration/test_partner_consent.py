"""A topic a partner organisation takes (``REFERRAL_PARTNERS``): the consent question names
it, the referral goes to it, and its workers see what the young person shared, because they
agreed to that organisation seeing it; a referral only handed to a partner later stays without
phone number and words for it. On the real engine, console and databases."""

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.bootstrap import Container
from bot.config import Settings
from tests.integration.test_console import client_for
from tests.support.console import member, sign_in, young_person_with_referral
from tests.support.conversation import Conversation
from tests.support.referrals import stored
from tests.support.staffed import with_staff_group

PARTNER = "Qendra Rinore"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_staff_group(settings.model_copy(
        update={"referral_partners": f"jobs={PARTNER}; trainings=Tjetër OJF"}))


@pytest.fixture
async def client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(container) as c:
        yield c


async def test_the_consent_names_the_partner_and_its_workers_see_what_was_shared(
    container: Container, client: httpx.AsyncClient,
) -> None:
    chat = Conversation(container, "arta")
    await chat.say("menu")
    [consent] = await chat.press("handoff:jobs")
    assert consent.text == container.translators["sq"](
        "handoff.consent.ask_partner", organisation=PARTNER)
    for press in ("ho:consent:yes", "ho:municipality:has", "ho:age:18_24",
                  "ho:gender:female", "ho:contact:phone"):
        await chat.press(press)
    await chat.say("069 123 4567")
    await chat.say("Kerkoj pune si kamarier ne Krume")
    await chat.press("ho:confirm:send")
    made = await stored(container, 1)
    assert (made.partner, made.partner_consent) == (PARTNER, PARTNER)

    handed = await young_person_with_referral(container, "5550009", partner=PARTNER,
                                              summary="Dua kurs rrobaqepsie")
    await sign_in(client, await member(container, "Drita", role="partner", partner=PARTNER))
    page = await client.get(f"/staff/referrals/{made.id}")
    assert page.status_code == 200
    assert "4567" in page.text and "Kerkoj pune si kamarier" in page.text
    later = await client.get(f"/staff/referrals/{handed}")  # routed to them without consent
    assert later.status_code == 200
    assert "+355691234567" not in later.text and "rrobaqepsie" not in later.text


async def test_a_topic_no_partner_takes_keeps_the_usual_consent(container: Container) -> None:
    chat = Conversation(container, "beni")
    await chat.say("menu")
    [consent] = await chat.press("handoff:business")
    assert consent.text == container.translators["sq"]("handoff.consent.ask")
