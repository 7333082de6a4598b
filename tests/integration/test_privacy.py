"""Delete-my-data: after it, the database holds no message text or state of that user."""

from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.storage.models import ConversationState, MessageLogEntry, OutboxMessage, User
from tests.support.conversation import Conversation, ids

SECRET = "quhem Arta dhe jam nga Krumë, numri im 0691234567"


async def _rows(container: Container) -> dict[str, list[object]]:
    async with container.sessions() as session:
        return {
            "users": (await session.scalars(select(User.address))).all(),
            "states": (await session.scalars(select(ConversationState.user_id))).all(),
            "messages": (await session.scalars(select(MessageLogEntry.text))).all(),
            "outbox": (await session.scalars(select(OutboxMessage.text)
                                             .where(OutboxMessage.address != "erased"))).all(),
        }


async def test_delete_my_data_erases_messages_and_state(container: Container) -> None:
    arta, other = Conversation(container, "arta"), Conversation(container, "other")
    [other_menu] = await other.say("menu")
    await arta.say("menu")
    await arta.say("2")
    await arta.say(SECRET)
    [question] = await arta.say("fshi")
    assert ids(question) == ["confirm:yes", "confirm:no"]
    [done] = await arta.say("po")
    assert container.translators["sq"]("delete.done") in done.text

    rows = await _rows(container)
    assert rows["users"] == ["other"]
    assert len(rows["states"]) == 1
    assert not any(SECRET in text for text in rows["messages"] + rows["outbox"])
    async with container.sessions() as session:
        other_id = await session.scalar(select(User.id))
        assert await session.scalar(
            select(func.count(MessageLogEntry.id)).where(MessageLogEntry.user_id != other_id)
        ) == 0
    assert rows["outbox"] == [other_menu.text]  # the confirmation went, and then its text


async def test_after_deleting_the_next_message_starts_afresh(container: Container) -> None:
    chat = Conversation(container, "arta")
    await chat.say("menu")
    await chat.press("page:jobs")
    await chat.say("delete my data")
    await chat.press("confirm:yes")
    [welcome] = await chat.say("2")
    assert container.translators["sq"]("welcome.text") in welcome.text


async def test_saying_no_keeps_everything(container: Container) -> None:
    chat = Conversation(container, "arta")
    await chat.say("menu")
    await chat.say(SECRET)
    await chat.say("fshi")
    [kept] = await chat.say("jo")
    assert container.translators["sq"]("delete.kept") in kept.text
    assert SECRET in (await _rows(container))["messages"]


async def test_a_later_yes_does_not_delete_once_the_question_has_passed(
    container: Container,
) -> None:
    chat = Conversation(container, "arta")
    await chat.say("menu")
    await chat.say("fshi")
    await chat.say("2")
    await chat.say("po")
    assert (await _rows(container))["users"] == ["arta"]
