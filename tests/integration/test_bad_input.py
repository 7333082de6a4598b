"""Hostile or broken input through the engine: a polite answer, no crash, nothing else changed."""

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.storage.models import ConversationState, MessageLogEntry, User
from tests.support.bad_inputs import BAD_INPUTS
from tests.support.conversation import Conversation


@pytest.mark.parametrize("text", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
async def test_bad_input_gets_a_polite_answer_and_changes_nothing_else(
    container: Container, text: str
) -> None:
    bystander = Conversation(container, "bystander")
    await bystander.say("menu")
    await bystander.say("2")
    chat = Conversation(container, "ana")
    await chat.say("menu")

    replies = await chat.say(text)

    t = container.translators["sq"]
    assert len(replies) == 1
    reply = replies[0]
    assert reply.choices, "a way on is always offered"
    assert t("error.generic") not in reply.text
    async with container.sessions() as session:
        assert await session.scalar(select(func.count(User.id))) == 2
        assert await session.scalar(
            select(func.count(User.id)).where(User.unsubscribed_at.is_not(None))
        ) == 0
        pages = dict(
            (await session.execute(
                select(User.address, ConversationState.page).join(ConversationState)
            )).all()
        )
        logged = (await session.scalars(
            select(MessageLogEntry.text).where(MessageLogEntry.direction == "in")
        )).all()
    assert pages["bystander"] == "jobs"
    assert all("\x00" not in t and len(t) <= 4096 for t in logged)
    await chat.say("menu")
    [jobs] = await chat.say("2")
    assert container.content.page("sq", "jobs").text.strip() in jobs.text


async def test_sql_in_a_message_is_stored_as_text(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    await chat.say(BAD_INPUTS["sql"])
    async with container.sessions() as session:
        logged = (await session.scalars(select(MessageLogEntry.text))).all()
    assert BAD_INPUTS["sql"] in logged
