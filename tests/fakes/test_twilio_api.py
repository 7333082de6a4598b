"""The fake Twilio's REST side, driven by the real twilio Client over loopback HTTP, and the
HTTP client pointed at it. Callbacks and inbound webhooks: ``test_twilio_api_webhooks``."""

# ruff: noqa: F811 - the imported fixtures are requested by parameter name

import json
import logging
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.channels.twilio_http import BaseUrlHttpClient, close_client, make_client
from tests.fakes.twilio_api import (
    ACCOUNT_SID,
    BOT_NUMBER,
    USER,
    FakeTwilio,
)
from tests.fakes.twilio_fixtures import (  # noqa: F401 (fixtures)
    TEMPLATE,
    client,
    send,
    twilio,
    url,
)

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
