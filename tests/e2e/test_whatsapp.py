"""WhatsApp end to end: Twilio's signed webhooks in, the real twilio Client out, against a fake
Twilio on 127.0.0.1, with the bot behind a public URL it does not listen on (as behind a proxy)."""


import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.channels.whatsapp import STATUS_PATH, WEBHOOK_PATH
from bot.storage.models import (
    Campaign,
    MessageLogEntry,
    OutboxMessage,
    ProcessedDelivery,
    User,
)
from tests.fakes.twilio_api import USER
from tests.support.bad_inputs import BAD_INPUTS
from tests.support.whatsapp import WhatsApp, rows


async def test_campaign_link_numbers_and_free_text_get_the_telegram_content(
    whatsapp: WhatsApp, container: Container
) -> None:
    async with container.sessions() as session:
        session.add(Campaign(code="poster_kukes_2026", name="Posters, Kukës"))
        await session.commit()
    sq = container.translators["sq"]
    menu = container.content.page("sq", "menu")

    [welcome] = await whatsapp.say("Tung! Dua të di më shumë. (ref: poster_kukes_2026)", 1)
    assert welcome is not None and sq("welcome.text") in welcome
    assert f"2. {container.content.page('sq', menu.choices[1]).title}" in welcome

    bodies = await whatsapp.say("2", 2)
    assert container.content.page("sq", menu.choices[1]).text.strip() in str(bodies[1])

    bodies = await whatsapp.say("a ka kurse falas per IT ne Kukes?", 3)
    assert container.content.page("sq", "trainings").text.strip() in str(bodies[2])

    [user] = await rows(container, User)
    [campaign] = await rows(container, Campaign)
    assert user.first_campaign_id == campaign.id
    logged = [entry.text for entry in await rows(container, MessageLogEntry)
              if entry.direction == "in"]
    assert logged[0] == "Tung! Dua të di më shumë."  # the tag is not the user's words
    assert all(len(body or "") <= 1600 for body in whatsapp.bodies())


@pytest.mark.parametrize("how", [{"signature": "bm90IGEgc2lnbmF0dXJl"}, {"signed": False}])
async def test_a_wrong_or_missing_signature_is_403_and_stores_nothing(
    whatsapp: WhatsApp, container: Container, how: dict[str, object]
) -> None:
    response = await whatsapp.twilio.send_inbound(body="menu", **how)  # type: ignore[arg-type]
    assert response.status_code == 403
    for table in (User, MessageLogEntry, ProcessedDelivery, OutboxMessage):
        assert await rows(container, table) == []
    assert whatsapp.twilio.creates == []


async def test_a_status_callback_needs_a_signature_too(whatsapp: WhatsApp) -> None:
    forged = b"MessageSid=SM00000000000000000000000000000000&MessageStatus=read"
    response = await whatsapp.twilio.post_raw(
        STATUS_PATH, forged, {"Content-Type": "application/x-www-form-urlencoded",
                              "X-Twilio-Signature": "Zm9yZ2Vk"})
    assert response.status_code == 403


async def test_the_same_message_sid_twice_gets_one_reply(whatsapp: WhatsApp) -> None:
    sid = "SM" + "5" * 32
    await whatsapp.say("menu", 1, message_sid=sid)
    again = await whatsapp.twilio.send_inbound(body="menu", message_sid=sid)
    assert again.status_code == 200
    await whatsapp.say("2", 2)
    assert len(whatsapp.twilio.messages_to(USER)) == 2


async def test_a_twilio_5xx_is_retried(whatsapp: WhatsApp) -> None:
    whatsapp.twilio.fail_next(503)
    await whatsapp.say("menu", 1)
    assert [create.status for create in whatsapp.twilio.creates] == [503, 201]


async def test_status_callbacks_move_forward_only(
    whatsapp: WhatsApp, container: Container
) -> None:
    await whatsapp.say("menu", 1)
    await whatsapp.twilio.settle()
    [sent] = await rows(container, OutboxMessage)
    assert (sent.status, sent.provider_id) == ("delivered", whatsapp.twilio.messages[0].sid)
    for status, expected in (("read", "read"), ("sent", "read"), ("delivered", "read")):
        callback = await whatsapp.twilio.send_status(sent.provider_id, status)
        assert callback.answered == 204
        [sent] = await rows(container, OutboxMessage)
        assert sent.status == expected


async def test_media_gets_a_text_answer(whatsapp: WhatsApp, container: Container) -> None:
    sq = container.translators["sq"]
    await whatsapp.say("menu", 1)
    await whatsapp.say("", 2, media=[("https://api.twilio.com/media/ME1", "image/jpeg")])
    await whatsapp.say("", 3, location=(42.077, 20.421))
    assert all(sq("media.unsupported") in str(body) for body in whatsapp.bodies()[1:])


async def test_a_long_reply_goes_in_pieces_under_1600_characters(whatsapp: WhatsApp) -> None:
    paragraphs = [f"Paragrafi {n}:" + " fjalë" * 60 for n in range(12)]
    await whatsapp.say("menu", 1)
    await whatsapp.staff_answer("\n\n".join(paragraphs))
    pieces = [str(body) for body in whatsapp.bodies()[1:]]
    assert len(pieces) > 1 and all(len(piece) <= 1600 for piece in pieces)
    assert "\n\n".join(pieces).split("\n\n") == paragraphs


async def test_two_numbers_are_two_users_each_answered(
    whatsapp: WhatsApp, container: Container
) -> None:
    other = "whatsapp:+393331234567"
    await whatsapp.say("menu", 1)
    await whatsapp.twilio.send_inbound(from_=other, body="menu")
    await whatsapp.twilio.wait_messages(1, other)
    async with container.sessions() as session:
        users = await session.scalar(select(func.count(User.id)))
    assert users == 2


@pytest.mark.parametrize("text", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
async def test_hostile_text_gets_one_polite_answer(whatsapp: WhatsApp, text: str) -> None:
    await whatsapp.say("menu", 1)
    [_menu, answer] = await whatsapp.say(text, 2)
    assert answer and "\n1. " in answer  # a way on, as numbered choices


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
HOSTILE = {
    "json": (b'{"From": "whatsapp:+355691234567", "Body": "hi"}',
             {"Content-Type": "application/json"}, 415),
    "not utf-8": (b"From=whatsapp%3A%2B355691234567&Body=\xff\xfe&MessageSid=SMx", FORM, 400),
    "huge": (b"Body=" + b"a" * 2_000_000, FORM, 413),
    "no fields": (b"", FORM, 200),
    "no From": (b"Body=hi&MessageSid=SM1", FORM, 200),
    "an SMS, not WhatsApp": (b"From=%2B355691234567&Body=hi&MessageSid=SM2", FORM, 200),
    "From twice": (b"From=whatsapp%3A%2B1&From=x&Body=hi&MessageSid=SM3", FORM, 200),
    "garbage": (b"&&==&%%%&From", FORM, 200),
}


@pytest.mark.parametrize(("body", "headers", "status"), HOSTILE.values(), ids=HOSTILE.keys())
async def test_hostile_webhook_bodies_are_refused_or_ignored_never_500(
    whatsapp: WhatsApp, container: Container, body: bytes, headers: dict[str, str], status: int
) -> None:
    response = await whatsapp.twilio.post_raw(WEBHOOK_PATH, body, headers)
    assert response.status_code == status
    assert await rows(container, User) == [] and whatsapp.twilio.creates == []
