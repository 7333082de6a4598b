"""Fixtures the fake Twilio's tests share: the fake served on loopback, the real twilio Client
pointed at it, and a receiver that stands in for the bot and checks Twilio's signatures."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.twilio_http import close_client, make_client
from tests.fakes.server import serving
from tests.fakes.twilio_api import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    BOT_NUMBER,
    USER,
    FakeTwilio,
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
