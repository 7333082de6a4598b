"""The fake Twilio, driven by the real twilio Client over loopback HTTP, and its webhooks
checked by twilio's own RequestValidator."""

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.twilio_http import BaseUrlHttpClient, close_client, make_client
from tests.fakes.server import serving
from tests.fakes.twilio_api import (
    ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, USER, FakeTwilio, _now,
)

PUBLIC = "https://bot.example.org"
WEBHOOK = f"{PUBLIC}/webhooks/whatsapp"
STATUS = f"{PUBLIC}/twilio/status?kind=reply"
TEMPLATE = "HX" + "ab" * 16


@dataclass
class Received:
    path: str
    form: dict[str, str]
    headers: dict[str, str]
    valid: bool


class Receiver(Starlette):
    """Stands in for the bot: validates Twilio's signature against the public URL, records."""

    def __init__(self) -> None:
        super().__init__(routes=[
            Route("/webhooks/whatsapp", self._receive, methods=["POST"]),
            Route("/twilio/status", self._receive, methods=["POST"]),
        ])
        self.received: list[Received] = []

    async def _receive(self, request: Request) -> Response:
        form = await request.form()
        query = f"?{request.url.query}" if request.url.query else ""
        valid = RequestValidator(AUTH_TOKEN).validate(
            PUBLIC + request.url.path + query, form,
            request.headers.get("X-Twilio-Signature", ""))
        self.received.append(Received(request.url.path, {k: str(v) for k, v in form.items()},
                                      dict(request.headers), valid))
        return Response("<Response/>", status_code=200 if valid else 403,
                        media_type="text/xml")


@pytest.fixture
def twilio() -> FakeTwilio:
    return FakeTwilio(webhook_url=WEBHOOK)


@pytest.fixture
async def url(twilio: FakeTwilio) -> AsyncIterator[str]:
    async with serving(twilio) as base:
        yield base


@pytest.fixture
async def client(url: str) -> AsyncIterator[Client]:
    client = make_client(ACCOUNT_SID, AUTH_TOKEN, url)
    yield client
    await close_client(client)


@pytest.fixture
async def bot(twilio: FakeTwilio) -> AsyncIterator[Receiver]:
    receiver = Receiver()
    async with serving(receiver) as local:
        twilio.route_public(PUBLIC, local)
        yield receiver


async def send(client: Client, **kwargs: Any) -> Any:
    return await client.messages.create_async(**({"from_": BOT_NUMBER, "to": USER} | kwargs))


# ---- REST -----------------------------------------------------------------------------------

async def test_a_body_message_is_queued(twilio: FakeTwilio, client: Client) -> None:
    message = await send(client, body="Përshëndetje 👋")
    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.to, message.from_, message.body) == (
        "queued", USER, BOT_NUMBER, "Përshëndetje 👋")
    assert message.account_sid == ACCOUNT_SID and message.date_created is not None
    [created] = twilio.messages
    assert (created.sid, created.body, created.content_sid, created.status) == (
        message.sid, "Përshëndetje 👋", None, 201)


async def test_a_template_message_records_its_variables(
    twilio: FakeTwilio, client: Client
) -> None:
    message = await send(client, content_sid=TEMPLATE,
                         content_variables=json.dumps({"1": "Ana", "2": "nesër"}))
    assert message.status == "queued"
    [created] = twilio.messages_to(USER)
    assert (created.body, created.content_sid) == (None, TEMPLATE)
    assert created.content_variables == {"1": "Ana", "2": "nesër"}


REFUSED: list[tuple[dict[str, Any], int]] = [
    ({"to": "+355691234567", "body": "hi"}, 21211),
    ({"to": "whatsapp:355691234567", "body": "hi"}, 21211),
    ({"from_": "whatsapp:+15550001111", "body": "hi"}, 21212),
    ({"body": ""}, 21619),
    ({"body": "hi", "content_sid": TEMPLATE}, 21619),
    ({"body": "a" * 1601}, 21617),
    ({"body": "😀" * 801}, 21617),  # 1602 UTF-16 units
    ({"content_sid": "HX123"}, 21655),
    ({"content_sid": TEMPLATE, "content_variables": "not json"}, 21656),
    ({"content_sid": TEMPLATE, "content_variables": '{"1": 5}'}, 21656),
    ({"content_sid": TEMPLATE, "content_variables": json.dumps({"1": "a" * 1601})}, 21658),
    ({"body": "hi", "content_variables": '{"1": "Ana"}'}, 21654),
]


async def test_refused_creates_raise_with_twilio_codes(
    twilio: FakeTwilio, client: Client
) -> None:
    """One server for all cases: starting and stopping uvicorn is most of a test's time."""
    for fields, code in REFUSED:
        with pytest.raises(TwilioRestException) as raised:
            await send(client, **fields)
        assert (raised.value.status, raised.value.code) == (400, code), fields
    assert twilio.messages == []
    assert [(created.status, created.error_code) for created in twilio.creates] == [
        (400, code) for _, code in REFUSED]


async def test_limits_are_inclusive(twilio: FakeTwilio, client: Client) -> None:
    await send(client, body="a" * 1600)
    await send(client, content_sid=TEMPLATE, content_variables=json.dumps({"1": "a" * 1600}))
    await send(client, messaging_service_sid="MG" + "0" * 32, from_=None, body="via service")
    assert [created.status for created in twilio.creates] == [201, 201, 201]


async def test_a_wrong_token_is_401(url: str) -> None:
    wrong = make_client(ACCOUNT_SID, "not-the-token", url)
    try:
        with pytest.raises(TwilioRestException) as raised:
            await send(wrong, body="hi")
    finally:
        await close_client(wrong)
    assert (raised.value.status, raised.value.code) == (401, 20003)


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (503, 20503)])
async def test_fail_next(twilio: FakeTwilio, client: Client, status: int, code: int) -> None:
    other = "whatsapp:+355681112223"
    twilio.fail_next(status, times=2, to=USER)
    await send(client, to=other, body="not this one")
    for _ in range(2):
        with pytest.raises(TwilioRestException) as raised:
            await send(client, body="hi")
        assert (raised.value.status, raised.value.code) == (status, code)
    await send(client, body="hi")
    assert [(created.to, created.status) for created in twilio.creates] == [
        (other, 201), (USER, status), (USER, status), (USER, 201)]


async def test_wait_messages(twilio: FakeTwilio, client: Client) -> None:
    await send(client, body="one")
    await send(client, body="two")
    assert [m.body for m in await twilio.wait_messages(1, USER)] == ["one"]
    with pytest.raises(AssertionError, match="3 messages to .* 'two'"):
        await twilio.wait_messages(3, USER, timeout=0.1)


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


# ---- the HTTP client ------------------------------------------------------------------------

async def test_requests_go_to_the_base_url_and_twilio_itself_is_left_alone() -> None:
    async with BaseUrlHttpClient("http://127.0.0.1:8/prefix/") as rebased, \
            BaseUrlHttpClient("https://api.twilio.com") as real:
        url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=x"
        assert rebased._rebase(url) == (
            "http://127.0.0.1:8/prefix/2010-04-01/Accounts/AC1/Messages.json?To=x")
        assert real._rebase(url) == url


async def test_the_client_logs_no_address_above_debug(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await send(client, body="hi")
    twilio_records = [record for record in caplog.records
                      if record.name.startswith(("twilio", "bot.channels"))]
    assert twilio_records and all(record.levelno == logging.DEBUG for record in twilio_records)
    assert not any("355" in record.getMessage() for record in caplog.records)
