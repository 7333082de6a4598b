"""Property tests of the webhooks: whatever anyone POSTs, the service answers without a 500, and
a request it refuses (no or a wrong secret, a bad signature, not an Update, not a form) leaves
nothing behind: no user, no message, no processed delivery, no outbox row.

The real Starlette app, with the Telegram and WhatsApp channels built from settings, answers
on 127.0.0.1 under uvicorn with its lifespan (as ``youthbot run``), against the fake Bot API
and the fake Twilio. One database serves all the examples of a test; each example compares
the row counts before and after its request.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import telegram, whatsapp
from bot.channels.telegram import WEBHOOK_PATH as TELEGRAM_PATH
from bot.channels.web import create_app
from bot.channels.whatsapp import STATUS_PATH, WEBHOOK_PATH
from bot.storage.models import MessageLogEntry, OutboxMessage, ProcessedDelivery, User
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, FakeTwilio
from tests.support.hostile_requests import (
    BODIES,
    FORM_FIELDS,
    HEADER_VALUES,
    JSON_VALUES,
    headers,
    telegram_updates,
    whatsapp_forms,
)

SECRET = "property-test-secret"
PUBLIC = "https://bot.example.org"
SIGNATURE = "X-Twilio-Signature"
TELEGRAM_SECRET = "X-Telegram-Bot-Api-Secret-Token"
FORM = "application/x-www-form-urlencoded"
EXAMPLES = settings(
    max_examples=200, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""Deterministic (CI sees the same examples each run); one database for all of a test's
examples, which is why the function-scoped fixtures are fine here."""
STORED = (User, MessageLogEntry, ProcessedDelivery, OutboxMessage)


@dataclass
class Service:
    client: httpx.AsyncClient
    container: Container

    async def stored(self) -> dict[str, int]:
        async with self.container.sessions() as session:
            return {model.__name__: await session.scalar(select(func.count()).select_from(model))
                    for model in STORED}

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bool]:
        """The status code, and whether anything was stored."""
        before = await self.stored()
        response = await self.client.post(path, content=body, headers=headers)
        await self.container.deliveries.drained()
        return response.status_code, await self.stored() != before


@pytest.fixture
async def service(container: Container) -> AsyncIterator[Service]:
    twilio = FakeTwilio(webhook_url=PUBLIC + WEBHOOK_PATH)
    async with serving(FakeBotAPI()) as api_url, serving(twilio) as twilio_url:
        configured = container.settings.model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_webhook_url": "https://bot.example.org/webhooks/telegram",
            "telegram_webhook_secret": SecretStr(SECRET),
            "twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "twilio_whatsapp_number": BOT_NUMBER, "twilio_api_base_url": twilio_url,
            "public_base_url": PUBLIC,
        })
        channels = bootstrap.build_channels(configured, container, [telegram, whatsapp])
        assert len(channels) == 2
        async with (serving(create_app(container, channels), lifespan="on") as bot_url,
                    httpx.AsyncClient(base_url=bot_url, trust_env=False, timeout=30) as client):
            yield Service(client, container)


def signed(path: str, fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The form as Twilio sends it to ``path``, with its signature over our public URL."""
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + path, fields)
    return urlencode(fields).encode(), {"content-type": FORM, SIGNATURE: signature}


@EXAMPLES
@given(body=BODIES, sent=headers(TELEGRAM_SECRET, SECRET))
async def test_telegram_webhook_never_fails_and_refusals_store_nothing(
    service: Service, body: bytes, sent: dict[str, str]
) -> None:
    status, stored = await service.post(TELEGRAM_PATH, body, sent)

    if sent.get(TELEGRAM_SECRET) != SECRET:
        assert status == 403
    assert status in (200, 400, 403)
    assert not stored or status == 200


@EXAMPLES
@given(update=telegram_updates(st.integers(min_value=1, max_value=2**31)) | JSON_VALUES)
async def test_anything_shaped_like_an_update_is_answered_without_an_error(
    service: Service, update: Any
) -> None:
    """With the right secret: an Update is handled (200), anything else is a 400 with nothing
    kept; python-telegram-bot's parsing of odd fields never turns into a 500."""
    body = httpx.Request("POST", "/", json=update).content
    status, stored = await service.post(
        TELEGRAM_PATH, body, {"content-type": "application/json", TELEGRAM_SECRET: SECRET})

    assert status in (200, 400)
    assert not stored or status == 200


@EXAMPLES
@given(body=BODIES, sent=headers(SIGNATURE, "not a signature"),
       path=st.sampled_from([WEBHOOK_PATH, STATUS_PATH]))
async def test_whatsapp_without_twilios_signature_is_refused_and_stores_nothing(
    service: Service, body: bytes, sent: dict[str, str], path: str
) -> None:
    status, stored = await service.post(path, body, sent)

    assert status in (400, 403, 413, 415)
    assert not stored


@EXAMPLES
@given(fields=FORM_FIELDS, signature=HEADER_VALUES)
async def test_a_forged_signature_over_a_real_looking_form_is_refused(
    service: Service, fields: dict[str, str], signature: str
) -> None:
    body, sent = signed(WEBHOOK_PATH, fields)
    if signature == sent[SIGNATURE]:
        return
    status, stored = await service.post(WEBHOOK_PATH, body, {**sent, SIGNATURE: signature})

    assert status == 403
    assert not stored


@EXAMPLES
@given(fields=whatsapp_forms() | FORM_FIELDS, path=st.sampled_from([WEBHOOK_PATH, STATUS_PATH]))
async def test_any_signed_form_is_answered_without_an_error(
    service: Service, fields: dict[str, str], path: str
) -> None:
    """Twilio's own posts with any fields: a message is answered with TwiML, anything else is
    ignored politely; a status callback that names no status is a 400 that changes nothing;
    nothing gives a 500."""
    body, sent = signed(path, fields)
    status, stored = await service.post(path, body, sent)

    if path == WEBHOOK_PATH:
        assert status == 200
    else:
        assert status == 400
        assert not stored
