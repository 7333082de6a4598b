""""I'm interested" with a staff group: the referral questions with the topic, the opportunity
and what the question said already filled in; staff see the opportunity on the card."""

import pytest
from sqlalchemy import select

from bot.bootstrap import Container
from bot.config import Settings
from bot.staff.notices import STAFF_CHANNEL
from bot.storage.models import OutboxMessage, Referral
from tests.support.conversation import Conversation, ids, labels
from tests.support.opportunities import publish, row
from tests.support.staffed import with_staff_group


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_staff_group(settings)


def t(container: Container, key: str, **values: object) -> str:
    return container.translators["sq"](key, **values)


async def test_interested_asks_only_what_is_missing_and_staff_see_the_opportunity(
    container: Container,
) -> None:
    await publish(container, row("it-has", places="has", sectors="ict", days=20))
    chat = Conversation(container, "hana")
    await chat.say("menu")
    [listed] = await chat.say("du me msu kompjuter ne Has")
    [consent] = await chat.press(ids(listed)[0])
    assert t(container, "handoff.consent.ask") in consent.text  # consent first, as always
    asked = []
    for press in ("ho:consent:yes", "ho:age:18_24", "ho:gender:female", "ho:contact:chat"):
        [question] = await chat.press(press)
        asked.append(question.text)
    assert t(container, "handoff.age.ask") in asked[0]  # where they live was known: Has
    assert t(container, "handoff.confirm.ask") in asked[-1]  # what they want was known too
    [sent] = await chat.press("ho:confirm:send")
    assert labels(sent)[0] == t(container, "opportunities.remind.choice")  # opt-in, after
    async with container.sessions() as session:
        referral = await session.scalar(select(Referral))
        card = await session.scalar(select(OutboxMessage.text).where(
            OutboxMessage.channel == STAFF_CHANNEL))
    assert referral is not None
    assert (referral.topic, referral.municipality, referral.opportunity_id,
            referral.opportunity_title) == ("trainings", "has", "it-has", "Titulli it-has")
    assert card is not None
    assert t(container, "staff.card.opportunity", title="Titulli it-has", id="it-has") in card


async def test_interested_again_while_a_request_is_open_makes_no_second_one(
    container: Container,
) -> None:
    await publish(container, row("job-1", kind="job"))
    chat = Conversation(container, "iva")
    await chat.say("menu")
    [listed] = await chat.say("kerkoj pune")
    await chat.press(ids(listed)[0])
    for press in ("ho:consent:yes", "ho:municipality:kukes", "ho:age:25_29",
                  "ho:gender:unsaid", "ho:contact:chat", "ho:confirm:send"):
        await chat.press(press)
    [again] = await chat.press(ids(listed)[0])
    assert t(container, "handoff.already_open") in again.text
