"""WhatsApp end to end: Twilio's signed webhooks in, the real twilio Client out, against a fake
Twilio on 127.0.0.1, with the bot behind a public URL it does not listen on (as behind a proxy)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, update

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import whatsapp as whatsapp_channel
from bot.channels.web import create_app
from bot.channels.whatsapp import STATUS_PATH, WEBHOOK_PATH, WhatsAppChannel
from bot.delivery import Kind
from bot.delivery.policy import HELD_NO_TEMPLATE, HELD_TEMPLATE_SENT
from bot.messages import Outbound
from bot.storage.models import (
    Campaign,
    MessageLogEntry,
    OutboxMessage,
    ProcessedDelivery,
    User,
    utcnow,
)
from tests.fakes.server import serving
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, USER, FakeTwilio
from tests.support.bad_inputs import BAD_INPUTS

PUBLIC = "https://bot.example.org"
TEMPLATE = "HX" + "0" * 31 + "1"
ALERT = "HX" + "0" * 31 + "2"


@dataclass
class WhatsApp:
    twilio: FakeTwilio
    channel: WhatsAppChannel
    container: Container

    def bodies(self, to: str = USER) -> list[str | None]:
        return [message.body for message in self.twilio.messages_to(to)]

    async def say(self, text: str, replies: int, **fields: object) -> list[str | None]:
        """Send as the user; wait until ``replies`` messages in all have reached them."""
        response = await self.twilio.send_inbound(body=text, **fields)  # type: ignore[arg-type]
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/xml")
        await self.twilio.wait_messages(replies, USER)
        return self.bodies()

    async def staff_answer(self, text: str, kind: Kind = "staff") -> None:
        """What a staff answer does (the referral issue builds the staff side): a row of kind
        ``staff`` put in the outbox for a user who wrote earlier, and the sender told (an
        alert, ``kind="alert"``, is put the same way)."""
        async with self.container.unit_of_work() as uow:
            user = await uow.users.get("whatsapp", USER)
            uow.outbox.put("whatsapp", USER, user, Outbound(text), kind=kind)
            await uow.commit()
        self.container.deliveries.notify("whatsapp", USER)
        await self.container.deliveries.drained()


async def _started(
    container: Container, templates: dict[str, str], alerts: dict[str, str] | None = None,
) -> AsyncIterator[WhatsApp]:
    twilio = FakeTwilio(webhook_url=PUBLIC + WEBHOOK_PATH)
    async with serving(twilio) as twilio_url:
        settings = container.settings.model_copy(update={
            "twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "twilio_whatsapp_number": BOT_NUMBER, "twilio_api_base_url": twilio_url,
            "public_base_url": PUBLIC, "twilio_waiting_templates": templates,
            "twilio_alert_templates": alerts or {},
        })
        [channel] = bootstrap.build_channels(settings, container, [whatsapp_channel])
        assert isinstance(channel, WhatsAppChannel)
        async with serving(create_app(container, [channel]), lifespan="on") as bot_url:
            twilio.route_public(PUBLIC, bot_url)
            yield WhatsApp(twilio, channel, container)
            await twilio.settle()


@pytest.fixture
async def whatsapp(container: Container) -> AsyncIterator[WhatsApp]:
    async for started in _started(container, {"sq": TEMPLATE}):
        yield started


@pytest.fixture
async def whatsapp_with_alerts(container: Container) -> AsyncIterator[WhatsApp]:
    async for started in _started(container, {"sq": TEMPLATE}, {"sq": ALERT}):
        yield started


@pytest.fixture
async def whatsapp_without_template(container: Container) -> AsyncIterator[WhatsApp]:
    async for started in _started(container, {}):
        yield started


async def _rows(container: Container, model: type) -> list:  # type: ignore[type-arg]
    async with container.sessions() as session:
        return list((await session.scalars(select(model).order_by(model.id))).all())


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

    [user] = await _rows(container, User)
    [campaign] = await _rows(container, Campaign)
    assert user.first_campaign_id == campaign.id
    logged = [entry.text for entry in await _rows(container, MessageLogEntry)
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
        assert await _rows(container, table) == []
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
    [sent] = await _rows(container, OutboxMessage)
    assert (sent.status, sent.provider_id) == ("delivered", whatsapp.twilio.messages[0].sid)
    for status, expected in (("read", "read"), ("sent", "read"), ("delivered", "read")):
        callback = await whatsapp.twilio.send_status(sent.provider_id, status)
        assert callback.answered == 204
        [sent] = await _rows(container, OutboxMessage)
        assert sent.status == expected


async def _age_the_window(container: Container, twilio: FakeTwilio) -> None:
    """The user last wrote 25 hours ago, for the bot and for WhatsApp alike."""
    long_ago = utcnow() - timedelta(hours=25)
    async with container.sessions() as session:
        await session.execute(update(User).values(last_seen_at=long_ago))
        await session.commit()
    twilio.set_last_inbound(USER, long_ago)


async def test_outside_the_window_the_answer_waits_behind_a_template_then_comes_in_order(
    whatsapp: WhatsApp, container: Container
) -> None:
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)

    await whatsapp.staff_answer("Përgjigja e parë nga Drita.")
    await whatsapp.staff_answer("Edhe diçka tjetër.")
    [nudge] = whatsapp.twilio.messages_to(USER)[1:]
    assert (nudge.content_sid, nudge.body) == (TEMPLATE, None)  # one template, no free text
    held = [row for row in await _rows(container, OutboxMessage) if row.sent_at is None]
    assert [row.held_reason for row in held] == [HELD_TEMPLATE_SENT] * 2

    response = await whatsapp.twilio.send_inbound(button_payload="waiting", button_text="Shiko")
    assert response.status_code == 200
    await whatsapp.twilio.wait_messages(4, USER)
    await whatsapp.container.deliveries.drained()
    assert whatsapp.bodies()[2:] == ["Përgjigja e parë nga Drita.", "Edhe diçka tjetër."]


async def test_a_63016_failure_holds_the_reply_nudges_once_and_sends_it_when_they_write(
    whatsapp: WhatsApp, container: Container
) -> None:
    await whatsapp.say("menu", 1)
    await whatsapp.twilio.settle()
    whatsapp.twilio.set_last_inbound(USER, utcnow() - timedelta(hours=25))  # WhatsApp disagrees

    await whatsapp.staff_answer("A mund të vish të hënën?")
    await whatsapp.twilio.settle()
    [row] = [row for row in await _rows(container, OutboxMessage) if row.sent_at is None]
    assert (row.status, row.error_code, row.held_reason) == ("failed", "63016",
                                                             HELD_TEMPLATE_SENT)
    assert [m.content_sid for m in whatsapp.twilio.messages_to(USER)[2:]] == [TEMPLATE]

    bodies = await whatsapp.say("po", 5)
    assert bodies[3] == "A mund të vish të hënën?"  # the waiting answer first, then the reply
    assert bodies[4]


async def test_without_a_template_the_answer_waits_with_a_reason_for_staff(
    whatsapp_without_template: WhatsApp, container: Container
) -> None:
    whatsapp = whatsapp_without_template
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)
    await whatsapp.staff_answer("Përgjigja nga stafi.")
    assert len(whatsapp.twilio.messages_to(USER)) == 1
    async with container.unit_of_work() as uow:
        [problem] = await uow.outbox.problems("whatsapp")
        assert (problem.text, problem.held_reason) == ("Përgjigja nga stafi.", HELD_NO_TEMPLATE)

    bodies = await whatsapp.say("menu", 3)
    assert bodies[1] == "Përgjigja nga stafi."


async def test_outside_the_window_an_alert_goes_out_in_the_alert_template_not_held(
    whatsapp_with_alerts: WhatsApp, container: Container
) -> None:
    whatsapp = whatsapp_with_alerts
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)

    await whatsapp.staff_answer("Trajnim i ri për IT në Kukës.\n\nApliko deri më 1 mars.",
                                kind="alert")
    [alert] = whatsapp.twilio.messages_to(USER)[1:]
    assert (alert.content_sid, alert.body) == (ALERT, None)
    assert alert.content_variables == {"1": "Trajnim i ri për IT në Kukës. Apliko deri më 1 mars."}
    await whatsapp.twilio.settle()
    row = (await _rows(container, OutboxMessage))[-1]
    assert (row.kind, row.held_reason, row.provider_id) == ("alert", None, alert.sid)
    assert row.status == "delivered"  # a template is delivered outside the window

    await whatsapp.staff_answer("Përgjigja nga stafi.")  # the alert held nothing: this waits
    [nudge] = whatsapp.twilio.messages_to(USER)[2:]
    assert (nudge.content_sid, nudge.body) == (TEMPLATE, None)


async def test_without_an_alert_template_an_alert_waits_like_a_staff_answer(
    whatsapp: WhatsApp, container: Container
) -> None:
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)
    await whatsapp.staff_answer("Trajnim i ri për IT në Kukës.", kind="alert")
    [nudge] = whatsapp.twilio.messages_to(USER)[1:]
    assert (nudge.content_sid, nudge.body) == (TEMPLATE, None)
    [held] = [row for row in await _rows(container, OutboxMessage) if row.sent_at is None]
    assert (held.kind, held.held_reason) == ("alert", HELD_TEMPLATE_SENT)

    bodies = await whatsapp.say("po", 4)
    assert bodies[2] == "Trajnim i ri për IT në Kukës."  # first, then the reply to "po"


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
    assert await _rows(container, User) == [] and whatsapp.twilio.creates == []
