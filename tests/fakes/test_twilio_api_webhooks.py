"""The fake Twilio's webhooks: status callbacks and the 24-hour window, and inbound WhatsApp
messages, each checked by twilio's own RequestValidator."""

# ruff: noqa: F811 - the imported fixtures are requested by parameter name

from datetime import timedelta
from typing import Any

import pytest
from twilio.rest import Client

from tests.fakes.twilio_api import (
    ACCOUNT_SID,
    BOT_NUMBER,
    USER,
    FakeTwilio,
    _now,
)
from tests.fakes.twilio_fixtures import (  # noqa: F401 (fixtures)
    PUBLIC,
    STATUS,
    TEMPLATE,
    Receiver,
    bot,
    client,
    send,
    twilio,
    url,
)

# ---- status callbacks and the 24-hour window ------------------------------------------------

async def test_callbacks_are_signed_for_the_public_url(
    twilio: FakeTwilio, client: Client, bot: Receiver
) -> None:
    await twilio.send_inbound(body="Tung")
    message = await send(client, body="Tung, Ana!", status_callback=STATUS)
    await twilio.settle()
    statuses = [(callback.message_status, callback.answered) for callback in twilio.callbacks]
    assert statuses == [("sent", 200), ("delivered", 200)]
    callbacks = [received for received in bot.received if received.path == "/twilio/status"]
    assert all(received.valid for received in callbacks)
    assert [received.form["MessageStatus"] for received in callbacks] == ["sent", "delivered"]
    assert callbacks[0].form["MessageSid"] == message.sid
    assert "ErrorCode" not in callbacks[0].form
    assert twilio.callbacks[0].url == STATUS


async def test_free_text_outside_the_window_fails_later_templates_get_through(
    twilio: FakeTwilio, client: Client, bot: Receiver
) -> None:
    twilio.set_last_inbound(USER, _now() - timedelta(hours=25))
    late = await send(client, body="Stafi ju është përgjigjur", status_callback=STATUS)
    template = await send(client, content_sid=TEMPLATE, status_callback=STATUS)
    assert (late.status, template.status) == ("queued", "queued")
    await twilio.settle()
    assert [(callback.sid, callback.message_status, callback.error_code)
            for callback in twilio.callbacks] == [
        (late.sid, "failed", 63016), (template.sid, "sent", None),
        (template.sid, "delivered", None)]
    assert bot.received[0].form["ErrorCode"] == "63016" and bot.received[0].valid


async def test_never_wrote_is_outside_the_window(
    twilio: FakeTwilio, client: Client, bot: Receiver
) -> None:
    await send(client, body="hi", status_callback=STATUS)
    await twilio.settle()
    assert [callback.message_status for callback in twilio.callbacks] == ["failed"]


async def test_scripted_callbacks_duplicates_and_out_of_order(
    url: str, client: Client, bot: Receiver, twilio: FakeTwilio
) -> None:
    twilio.auto_status = False
    message = await send(client, content_sid=TEMPLATE, status_callback=STATUS)
    await twilio.settle()
    assert twilio.callbacks == []
    for status in ("delivered", "sent", "delivered", "read"):
        await twilio.send_status(message.sid, status)
    assert [received.form["MessageStatus"] for received in bot.received] == [
        "delivered", "sent", "delivered", "read"]
    assert all(received.valid for received in bot.received)
    with pytest.raises(AssertionError, match="no accepted message"):
        await twilio.send_status("SM" + "0" * 32, "sent")


async def test_an_unreachable_callback_is_recorded_without_answer(
    twilio: FakeTwilio, client: Client
) -> None:
    twilio.route_public(PUBLIC, "http://127.0.0.1:9")  # discard port: nobody listens
    await send(client, content_sid=TEMPLATE, status_callback=STATUS)
    await twilio.settle()
    assert [callback.answered for callback in twilio.callbacks] == [None, None]


# ---- inbound --------------------------------------------------------------------------------

async def test_send_inbound_posts_a_signed_whatsapp_form(
    twilio: FakeTwilio, bot: Receiver
) -> None:
    response = await twilio.send_inbound(body="Ku ka punë?")
    assert response.status_code == 200
    [received] = bot.received
    assert received.valid
    form = received.form
    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"]
    assert form["MessageSid"].startswith("SM") and len(form["MessageSid"]) == 34
    assert (form["From"], form["To"], form["Body"], form["WaId"]) == (
        USER, BOT_NUMBER, "Ku ka punë?", "355691234567")
    assert (form["MessageType"], form["NumMedia"], form["ProfileName"]) == ("text", "0", "Ana")
    assert (form["AccountSid"], form["ApiVersion"], form["SmsStatus"]) == (
        ACCOUNT_SID, "2010-04-01", "received")
    assert received.headers["i-twilio-idempotency-token"]


async def test_inbound_kinds(twilio: FakeTwilio, bot: Receiver) -> None:
    await twilio.send_inbound(button_payload="jobs", button_text="Punë")
    await twilio.send_inbound(media=[("https://api.twilio.com/m/1", "image/jpeg"),
                                     ("https://api.twilio.com/m/2", "application/pdf")])
    await twilio.send_inbound(location=(42.0771, 20.4219))
    await twilio.send_inbound(body="Hi", referral={"ReferralCtwaClid": "clid-1",
                                                   "ReferralSourceType": "ad"},
                              extra={"ProfileName": "Besa"})
    button, media, location, referral = (received.form for received in bot.received)
    assert (button["MessageType"], button["ButtonPayload"], button["Body"]) == (
        "button", "jobs", "Punë")
    assert (media["MessageType"], media["NumMedia"], media["MediaContentType1"]) == (
        "image", "2", "application/pdf")
    assert media["MessageSid"].startswith("MM")
    assert (location["MessageType"], location["Latitude"]) == ("location", "42.0771")
    assert (referral["ReferralCtwaClid"], referral["ProfileName"]) == ("clid-1", "Besa")
    assert all(received.valid for received in bot.received)


async def test_a_retry_repeats_the_sid_and_idempotency_token(
    twilio: FakeTwilio, bot: Receiver
) -> None:
    sid = "SM" + "1" * 32
    await twilio.send_inbound(body="a", message_sid=sid)
    await twilio.send_inbound(body="a", message_sid=sid)
    first, second = bot.received
    assert first.form["MessageSid"] == second.form["MessageSid"] == sid
    assert (first.headers["i-twilio-idempotency-token"]
            == second.headers["i-twilio-idempotency-token"])


@pytest.mark.parametrize("forged", [{"signature": "bad"}, {"signed": False}])
async def test_forged_inbound_fails_validation_and_opens_no_window(
    twilio: FakeTwilio, client: Client, bot: Receiver, forged: dict[str, Any]
) -> None:
    response = await twilio.send_inbound(body="hi", **forged)
    assert response.status_code == 403 and not bot.received[0].valid
    await send(client, body="hi", status_callback=STATUS)
    await twilio.settle()
    assert [callback.message_status for callback in twilio.callbacks] == ["failed"]


async def test_post_raw_signs_what_the_bot_parses(twilio: FakeTwilio, bot: Receiver) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    await twilio.post_raw("/webhooks/whatsapp", b"Body=a&Body=b&From=%FF&x", form)
    await twilio.post_raw("/webhooks/whatsapp?retry=1", b"", form)
    await twilio.post_raw("/webhooks/whatsapp", b"Body=a", form | {"X-Twilio-Signature": "no"})
    await twilio.post_raw("/webhooks/whatsapp", b'{"Body": "a"}',
                          {"Content-Type": "application/json"})
    assert [received.valid for received in bot.received] == [True, True, False, False]
