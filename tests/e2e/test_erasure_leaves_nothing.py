"""After "fshi" is confirmed and the confirmation sent, no table of the database holds the
person's number or Telegram id, in any of its forms, and the staff group's cards no longer
show it."""


from bot.config import Settings
from tests.fakes.telegram_bot_api import FakeBotAPI
from tests.fakes.twilio_api import USER as WA_USER
from tests.fakes.twilio_api import FakeTwilio
from tests.support.staff_group import CASEWORKER, STAFF_CHAT, WAIT, Desk, running
from tests.support.traces import places_holding
from tests.support.whatsapp import conversation

WA_FORMS = ("whatsapp:+355691234567", "+355691234567", "355691234567", "0691234567")
TG_USER = 5550001234


async def test_an_erased_whatsapp_user_leaves_no_number_anywhere(
    whatsapp_desk: tuple[Desk, FakeTwilio],
) -> None:
    desk, twilio = whatsapp_desk

    say = conversation(twilio, WAIT)

    await say("tung", 1)
    await say("si te hap nje biznes", 2)
    await say("1", 3)  # a person
    for number, answer in enumerate(("1", "2", "3", "4", "2"), start=4):  # yes, Has, …, phone
        await say(answer, number)
    assert desk.t("handoff.summary.ask") in await say("069 123 4567", 9)
    assert "+355691234567" in await say("Dua te hap nje furre buke", 10)
    assert desk.t("handoff.sent") in await say("1", 11)
    [card] = await desk.staff_get(1)
    assert "+355691234567" in card  # staff see how to reach them
    await desk.api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=CASEWORKER)
    await twilio.wait_messages(12, WA_USER, timeout=WAIT)
    card_id = desk.api.bot_messages(STAFF_CHAT)[0]["message_id"]
    await desk.api.push_message(STAFF_CHAT, "Te telefonoj neser ne 0691234567?",
                                user_id=CASEWORKER, reply_to=card_id)
    await twilio.wait_messages(13, WA_USER, timeout=WAIT)

    await say("fshi", 14)
    assert desk.t("delete.done") in await say("1", 15)  # the confirmation, by number
    await desk.api.wait_for(lambda api: all(
        "355691234567" not in str(m.get("text")) for m in api.bot_messages(STAFF_CHAT)
    ), timeout=WAIT)
    await twilio.settle()
    await desk.container.deliveries.drained()

    assert await places_holding(desk.container.sessions, WA_FORMS) == []
    withdrawn = desk.t("staff.withdrawn", id=1)
    assert withdrawn in [m["text"] for m in desk.api.bot_messages(STAFF_CHAT)]
    edited = desk.api.bot_messages(STAFF_CHAT)[0]
    assert edited["message_id"] == card_id and desk.t("staff.topic.business") in edited["text"]


async def test_an_erased_telegram_user_leaves_no_id_or_number_anywhere(
    settings: Settings,
) -> None:
    async with running(settings, FakeBotAPI()) as desk:
        api = desk.api

        async def gets(count: int) -> str:
            return str((await api.wait_sent(count, TG_USER, timeout=WAIT))[-1]["text"])

        await api.push_message(TG_USER, "/start")
        await gets(1)
        await api.push_message(TG_USER, "a ka kurse falas ne Kukes?")
        await gets(2)
        for step, press in enumerate(("handoff:trainings", "ho:consent:yes",
                                      "ho:municipality:has", "ho:age:18_24", "ho:gender:unsaid",
                                      "ho:contact:phone"), start=3):
            await api.push_callback(TG_USER, press)
            await gets(step)
        await api.push_message(TG_USER, "069 765 4321")
        await gets(9)
        await api.push_message(TG_USER, "Dua nje kurs per kuzhinier")
        assert "+355697654321" in await gets(10)
        await api.push_callback(TG_USER, "ho:confirm:send")
        assert desk.t("handoff.sent") in await gets(11)
        assert "+355697654321" in (await desk.staff_get(1))[0]
        await api.push_message(TG_USER, "fshi")
        await gets(12)
        await api.push_callback(TG_USER, "confirm:yes")
        assert desk.t("delete.done") in await gets(13)
        await api.wait_for(lambda a: desk.t("staff.withdrawn", id=1) in [
            m["text"] for m in a.bot_messages(STAFF_CHAT)], timeout=WAIT)
        await api.wait_for(lambda a: "697654321" not in a.bot_messages(STAFF_CHAT)[0]["text"],
                           timeout=WAIT)
        await desk.container.deliveries.drained()

        assert await places_holding(desk.container.sessions, (str(TG_USER), "697654321")) == []
        # Only the staff group's card was edited; the person's own chat is theirs.
        edits = api.calls_to("editMessageText")
        assert [call.params["chat_id"] for call in edits] == [STAFF_CHAT]
