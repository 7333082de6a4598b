"""A young person on WhatsApp (through a fake Twilio) reaches a caseworker in the Telegram staff
group and back, across WhatsApp's 24-hour window."""

from datetime import timedelta

from sqlalchemy import update

from bot.storage.models import User, utcnow
from tests.fakes.twilio_api import USER as WA_USER
from tests.fakes.twilio_api import FakeTwilio
from tests.support.staff_group import CASEWORKER, STAFF_CHAT, WAIT, Desk
from tests.support.whatsapp import TEMPLATE, conversation


async def test_a_whatsapp_request_reaches_the_telegram_staff_group_and_back(
    whatsapp_desk: tuple[Desk, FakeTwilio],
) -> None:
    desk, twilio = whatsapp_desk

    say = conversation(twilio, WAIT)

    await say("tung", 1)
    assert desk.t("handoff.choice") in await say("si te hap nje biznes", 2)
    assert desk.t("handoff.consent.ask") in await say("1", 3)  # the first choice: a person
    for number, answers in enumerate(("1", "2", "3", "4", "1"), start=4):  # yes, Has, 18-24, …
        await say(answers, number)
    assert "Has" in await say("Dua te hap nje furre buke", 9)
    assert desk.t("handoff.sent") in await say("1", 10)

    [card] = await desk.staff_get(1)
    assert desk.t("staff.channel.whatsapp") in card and "Dua te hap nje furre buke" in card
    await desk.api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=CASEWORKER)
    [claimed] = [m.body for m in await twilio.wait_messages(11, WA_USER, timeout=WAIT)][-1:]
    assert claimed == desk.t("handoff.claimed")
    card_id = desk.api.bot_messages(STAFF_CHAT)[0]["message_id"]
    await desk.api.push_message(STAFF_CHAT, "Kemi nje program per biznese te reja",
                                user_id=CASEWORKER, reply_to=card_id)
    [relayed] = [m.body for m in await twilio.wait_messages(12, WA_USER, timeout=WAIT)][-1:]
    assert relayed == desk.t("handoff.staff_says", text="Kemi nje program per biznese te reja")

    assert (await twilio.send_inbound(body="Super, si aplikoj?")).status_code == 200
    staff_side = await desk.staff_get(3)
    assert staff_side[-1] == desk.t("staff.from_user", id=1, text="Super, si aplikoj?")
    assert len(twilio.messages_to(WA_USER)) == 12  # quiet while a person has the conversation

    # Two days later the caseworker answers: WhatsApp's window has closed.
    long_ago = utcnow() - timedelta(days=2)
    async with desk.container.sessions() as session:
        await session.execute(update(User).values(last_seen_at=long_ago))
        await session.commit()
    twilio.set_last_inbound(WA_USER, long_ago)
    await desk.api.push_message(STAFF_CHAT, "Afati eshte te premten", user_id=CASEWORKER,
                                reply_to=card_id)
    assert (await desk.staff_get(4))[-1] == desk.t("staff.answer_waits", id=1)
    [nudge] = (await twilio.wait_messages(13, WA_USER, timeout=WAIT))[-1:]
    assert nudge.content_sid == TEMPLATE
    pressed = await twilio.send_inbound(button_payload="waiting", button_text="Shiko")
    assert pressed.status_code == 200
    [waited] = (await twilio.wait_messages(14, WA_USER, timeout=WAIT))[-1:]
    assert waited.body == desk.t("handoff.staff_says", text="Afati eshte te premten")

    await desk.api.push_message(STAFF_CHAT, "/close 1 business_support", user_id=CASEWORKER)
    [closed] = (await twilio.wait_messages(15, WA_USER, timeout=WAIT))[-1:]
    assert desk.t("handoff.closed") in str(closed.body) and "\n1. " in str(closed.body)


