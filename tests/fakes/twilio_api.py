"""A fake Twilio (Messages REST API and WhatsApp webhooks) for offline end-to-end tests.

REST: ``POST /2010-04-01/Accounts/{sid}/Messages.json`` as twilio-python sends it (Basic auth,
form body), checked as Twilio checks it and answered with Twilio's JSON and error codes, so the
real ``twilio.rest.Client`` (``bot.channels.twilio_http.make_client``) works against it.
After a create with a ``StatusCallback`` the fake posts signed status callbacks in the
background: ``sent`` then ``delivered``, or ``failed`` with 63016 for free-form text outside the
24-hour window, which Twilio also accepts first (201 ``queued``) and fails later.
Webhooks: ``send_inbound`` posts a signed WhatsApp message to the bot as Twilio does.
Signatures cover the bot's public URLs (``https://bot.example.org/...``); ``route_public`` maps
them to where the bot really listens. Serve it with ``tests.fakes.server.serving(twilio)``.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from tests.fakes.twilio_webhooks import TwilioWebhooks
from tests.fakes.twilio_wire import (
    ACCOUNT_SID,
    API_VERSION,
    AUTH_TOKEN,
    AUTHENTICATE,
    BODY_TOO_LONG,
    BOT_NUMBER,
    CHANNEL_INSTALL_SID,
    CONTENT_SID,
    CONTENT_SID_REQUIRED,
    INVALID_CONTENT_SID,
    INVALID_CONTENT_VARIABLES,
    INVALID_FROM,
    INVALID_TO,
    JSON,
    MAX_BODY,
    NO_CONTENT,
    OUTSIDE_WINDOW,
    PARAMETER_TOO_LONG,
    TWILIO_TIMEOUT,
    USER,
    WHATSAPP_ADDRESS,
    WINDOW,
    CreatedMessage,
    StatusCallback,
    TwilioError,
    _authenticate,
    _check_create,
    _Failure,
    _now,
    _resource,
    _set,
    _sid,
)

__all__ = [
    "ACCOUNT_SID", "API_VERSION", "AUTHENTICATE", "AUTH_TOKEN", "BODY_TOO_LONG", "BOT_NUMBER",
    "CHANNEL_INSTALL_SID", "CONTENT_SID", "CONTENT_SID_REQUIRED", "INVALID_CONTENT_SID",
    "INVALID_CONTENT_VARIABLES", "INVALID_FROM", "INVALID_TO", "JSON", "MAX_BODY", "NO_CONTENT",
    "OUTSIDE_WINDOW", "PARAMETER_TOO_LONG", "TWILIO_TIMEOUT", "USER", "WHATSAPP_ADDRESS",
    "WINDOW", "CreatedMessage", "FakeTwilio", "StatusCallback", "TwilioError", "_now",
]


class FakeTwilio(TwilioWebhooks, Starlette):
    """The fake server itself (an ASGI app) plus the controls tests use to drive it."""

    def __init__(self, *, auto_status: bool = True, webhook_url: str = "") -> None:
        super().__init__(routes=[
            Route("/2010-04-01/Accounts/{account_sid}/Messages.json", self._create,
                  methods=["POST"]),
            Route("/2010-04-01/Accounts/{account_sid}.json", self._account, methods=["GET"]),
        ])
        self.auto_status = auto_status
        self.webhook_url = webhook_url
        """The bot's public ``POST /webhooks/whatsapp`` URL, as configured in Twilio's console."""
        self.creates: list[CreatedMessage] = []
        self.callbacks: list[StatusCallback] = []
        self._public_bases: dict[str, str] = {}
        self._last_inbound: dict[str, datetime] = {}
        self._failures: list[_Failure] = []
        self._tokens: dict[str, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._one_at_a_time = asyncio.Lock()
        self._validator = RequestValidator(AUTH_TOKEN)

    # ---- inspection -------------------------------------------------------------------------

    def messages_to(self, address: str) -> list[CreatedMessage]:
        return [message for message in self.messages if message.to == address]

    async def wait_messages(
        self, count: int, to: str, timeout: float = 10.0
    ) -> list[CreatedMessage]:
        """The first ``count`` accepted messages to ``to``, once that many have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages_to(to)) < count:
            if time.monotonic() > deadline:
                seen = [(message.to, message.status, message.error_code,
                         message.body or message.content_sid) for message in self.creates]
                raise AssertionError(
                    f"{count} messages to {to} not accepted within {timeout}s; creates: {seen}")
            await asyncio.sleep(0.01)
        return self.messages_to(to)[:count]

    # ---- scripting --------------------------------------------------------------------------

    def fail_next(
        self, status: int, code: int | None = None, message: str | None = None, *,
        times: int = 1, to: str | None = None,
    ) -> None:
        """Answer the next ``times`` creates (to ``to``) with this error. The default code is
        Twilio's for the status where it has one (429: 20429, 500: 20500, 503: 20503)."""
        self._failures.append(_Failure(
            status, 20000 + status if code is None else code,
            HTTPStatus(status).phrase if message is None else message, to, times))

    def set_last_inbound(self, address: str, when: datetime) -> None:
        """Pretend the user last wrote at ``when`` (an aware datetime): opens or ages the
        window."""
        self._last_inbound[address] = when

    def route_public(self, public_base: str, local_base: str) -> None:
        """Sign URLs under ``public_base`` as they are, but POST them to ``local_base``."""
        self._public_bases[public_base.rstrip("/")] = local_base.rstrip("/")

    # ---- REST -------------------------------------------------------------------------------

    async def _create(self, request: Request) -> JSONResponse:
        params = {key: str(value) for key, value in (await request.form()).items()}
        message = CreatedMessage(
            None, params.get("To", ""), params.get("From", ""), params.get("Body"),
            params.get("ContentSid"), params.get("StatusCallback"), _now())
        self.creates.append(message)
        try:
            _authenticate(request)
            self._raise_scripted(message.to)
            message.content_variables = _check_create(params)
        except TwilioError as error:
            message.status, message.error_code = error.status, error.code
            return error.response()
        message.sid = _sid("SM")
        background = None
        if self.auto_status and message.status_callback:
            background = BackgroundTask(_set, self._schedule_statuses(message))
        return JSONResponse(_resource(message, params), status_code=201, background=background)

    async def _account(self, request: Request) -> JSONResponse:
        """The account itself (what a credentials check fetches); 401 for wrong credentials."""
        try:
            _authenticate(request)
        except TwilioError as error:
            return error.response()
        created = format_datetime(datetime(2026, 1, 5, tzinfo=UTC))
        return JSONResponse({
            "sid": ACCOUNT_SID, "friendly_name": "Kukës Youth", "status": "active",
            "type": "Full", "auth_token": AUTH_TOKEN, "owner_account_sid": ACCOUNT_SID,
            "date_created": created, "date_updated": created,
            "uri": f"/{API_VERSION}/Accounts/{ACCOUNT_SID}.json", "subresource_uris": {},
        })

    def _raise_scripted(self, to: str) -> None:
        for failure in self._failures:
            if failure.to in (None, to):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                raise TwilioError(failure.status, failure.code, failure.message)
