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
import base64
import json
import re
import time
import uuid
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, Headers
from starlette.formparsers import FormParser
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from twilio.request_validator import RequestValidator

JSON = dict[str, Any]
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "5f1e" * 8
BOT_NUMBER = "whatsapp:+14155238886"
USER = "whatsapp:+355691234567"
API_VERSION = "2010-04-01"
CHANNEL_INSTALL_SID = "XE" + "fedcba9876543210" * 2
MAX_BODY = 1600
WINDOW = timedelta(hours=24)
TWILIO_TIMEOUT = 15.0  # Twilio gives a webhook 15 s
WHATSAPP_ADDRESS = re.compile(r"whatsapp:\+[1-9][0-9]{6,14}")
CONTENT_SID = re.compile(r"HX[0-9a-fA-F]{32}")

# Error codes, checked against twilio.com/docs/api/errors unless marked.
AUTHENTICATE = 20003
INVALID_TO = 21211
INVALID_FROM = 21212  # "Invalid 'From' Phone Number" (from memory; a well-formed number that
#                       is not ours gets 21606 or, for WhatsApp, 63007 at Twilio: unverified)
BODY_TOO_LONG = 21617
NO_CONTENT = 21619  # "A Message Body, Media URL or Content SID is required"
CONTENT_SID_REQUIRED = 21654  # ContentVariables without ContentSid
INVALID_CONTENT_SID = 21655
INVALID_CONTENT_VARIABLES = 21656  # not a JSON object of strings
PARAMETER_TOO_LONG = 21658  # a content variable over 1600 characters
OUTSIDE_WINDOW = 63016


@dataclass
class CreatedMessage:
    """One create request; ``status`` is the HTTP status answered (201 when accepted)."""

    sid: str | None
    to: str
    from_: str
    body: str | None
    content_sid: str | None
    status_callback: str | None
    at: datetime
    content_variables: JSON = field(default_factory=dict)
    status: int = 201
    error_code: int | None = None


@dataclass
class StatusCallback:
    """One status callback POST; ``answered`` is the bot's HTTP status (None: no answer)."""

    sid: str
    message_status: str
    error_code: int | None
    url: str
    params: dict[str, str]
    answered: int | None
    at: datetime


@dataclass
class _Failure:
    status: int
    code: int
    message: str
    to: str | None
    times: int


class TwilioError(Exception):
    """An error to answer a create with, in Twilio's JSON (twilio raises TwilioRestException)."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> JSONResponse:
        return JSONResponse({
            "code": self.code, "message": self.message, "status": self.status,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
        }, status_code=self.status)


class FakeTwilio(Starlette):
    """The fake server itself (an ASGI app) plus the controls tests use to drive it."""

    def __init__(self, *, auto_status: bool = True, webhook_url: str = "") -> None:
        super().__init__(routes=[
            Route("/2010-04-01/Accounts/{account_sid}/Messages.json", self._create,
                  methods=["POST"]),
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

    @property
    def messages(self) -> list[CreatedMessage]:
        """The accepted creates, in order."""
        return [message for message in self.creates if message.status == 201]

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
        """Pretend the user last wrote at ``when`` (an aware datetime): opens or ages the window."""
        self._last_inbound[address] = when

    def route_public(self, public_base: str, local_base: str) -> None:
        """Sign URLs under ``public_base`` as they are, but POST them to ``local_base``."""
        self._public_bases[public_base.rstrip("/")] = local_base.rstrip("/")

    # ---- status callbacks -------------------------------------------------------------------

    async def send_status(
        self, sid: str, status: str, error_code: int | None = None
    ) -> StatusCallback:
        """POST one more status callback for message ``sid`` now (duplicates, out of order...)."""
        message = next((message for message in self.messages if message.sid == sid), None)
        if message is None or message.status_callback is None:
            raise AssertionError(f"no accepted message {sid} with a StatusCallback")
        async with self._one_at_a_time:
            return await self._post_status(message, status, error_code)

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until every automatic status callback has been posted."""
        async with asyncio.timeout(timeout):
            while self._tasks:
                await asyncio.gather(*self._tasks)

    def _schedule_statuses(self, message: CreatedMessage) -> asyncio.Event:
        """Post the message's callbacks once the create's response is out (set the event)."""
        answered = asyncio.Event()
        statuses: list[tuple[str, int | None]] = (
            [("sent", None), ("delivered", None)] if self._deliverable(message)
            else [("failed", OUTSIDE_WINDOW)])
        task = asyncio.create_task(self._post_statuses(message, statuses, answered))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return answered

    async def _post_statuses(
        self, message: CreatedMessage, statuses: list[tuple[str, int | None]],
        answered: asyncio.Event,
    ) -> None:
        await answered.wait()
        async with self._one_at_a_time:
            for status, error_code in statuses:
                await self._post_status(message, status, error_code)

    async def _post_status(
        self, message: CreatedMessage, status: str, error_code: int | None
    ) -> StatusCallback:
        assert message.sid is not None and message.status_callback is not None
        params = {
            "ChannelPrefix": "whatsapp", "ApiVersion": API_VERSION, "MessageStatus": status,
            "SmsSid": message.sid, "SmsStatus": status, "ChannelInstallSid": CHANNEL_INSTALL_SID,
            "To": message.to, "From": message.from_ or BOT_NUMBER, "MessageSid": message.sid,
            "AccountSid": ACCOUNT_SID, "ChannelToAddress": message.to.removeprefix("whatsapp:"),
        }
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        try:
            answered: int | None = (await self._post(message.status_callback, params)).status_code
        except httpx.TransportError:
            answered = None
        callback = StatusCallback(message.sid, status, error_code, message.status_callback,
                                  params, answered, _now())
        self.callbacks.append(callback)
        return callback

    def _deliverable(self, message: CreatedMessage) -> bool:
        """Templates always; free-form text within 24 hours of the user's last message."""
        last = self._last_inbound.get(message.to)
        return message.content_sid is not None or (
            last is not None and message.at - last <= WINDOW)

    # ---- inbound webhooks -------------------------------------------------------------------

    async def send_inbound(
        self, from_: str = USER, body: str = "", *, message_sid: str | None = None,
        profile_name: str = "Ana", button_payload: str | None = None,
        button_text: str | None = None, media: Sequence[tuple[str, str]] = (),
        location: tuple[float, float] | None = None, referral: Mapping[str, str] | None = None,
        extra: Mapping[str, str] | None = None, signature: str | None = None,
        signed: bool = True,
    ) -> httpx.Response:
        """POST a user's WhatsApp message to ``webhook_url`` with Twilio's fields and headers.

        ``media`` holds (url, content type) pairs; ``referral`` the ``Referral*`` fields of a
        click-to-WhatsApp ad; ``extra`` any other field (it overrides). Reusing a
        ``message_sid`` is Twilio's retry (same idempotency token). ``signature`` is sent as is;
        ``signed=False`` sends none. Only a correctly signed post opens the 24-hour window:
        the others stand for requests that did not come from Twilio.
        """
        if not self.webhook_url:
            raise AssertionError("set webhook_url to the bot's public /webhooks/whatsapp URL")
        sid = message_sid or _sid("MM" if media else "SM")
        kind = _message_type(media, location, button_payload)
        form = {
            "SmsMessageSid": sid, "NumMedia": str(len(media)), "ProfileName": profile_name,
            "MessageType": kind, "SmsSid": sid, "WaId": from_.removeprefix("whatsapp:+"),
            "SmsStatus": "received", "Body": body or button_text or "", "To": BOT_NUMBER,
            "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid,
            "AccountSid": ACCOUNT_SID, "From": from_, "ApiVersion": API_VERSION,
        }
        for index, (url, content_type) in enumerate(media):
            form[f"MediaUrl{index}"], form[f"MediaContentType{index}"] = url, content_type
        if location is not None:
            form["Latitude"], form["Longitude"] = (str(degrees) for degrees in location)
        if button_payload is not None:
            form["ButtonPayload"] = button_payload
        if button_text is not None:
            form["ButtonText"] = button_text
        form |= {**(referral or {}), **(extra or {})}
        headers = {"I-Twilio-Idempotency-Token": self._tokens.setdefault(sid, str(uuid.uuid4()))}
        if not signed:
            return await self._post(self.webhook_url, form, headers, sign=False)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
            return await self._post(self.webhook_url, form, headers, sign=False)
        self._last_inbound[from_] = _now()
        return await self._post(self.webhook_url, form, headers)

    async def post_raw(
        self, path: str, content: bytes, headers: Mapping[str, str]
    ) -> httpx.Response:
        """POST ``content`` as is to ``path`` on the bot's public host (mapped), for hostile
        bodies. Without an ``X-Twilio-Signature`` in ``headers`` it is signed over the form
        Starlette parses from ``content``, when the Content-Type is a form and it parses;
        otherwise it goes unsigned."""
        url = urljoin(self.webhook_url, path)
        sent = httpx.Headers(headers)
        if "X-Twilio-Signature" not in sent and (
                form := await _parse_form(content, sent)) is not None:
            sent["X-Twilio-Signature"] = self._validator.compute_signature(url, form)
        async with httpx.AsyncClient(trust_env=False, timeout=TWILIO_TIMEOUT) as client:
            return await client.post(self._local(url), content=content, headers=sent)

    async def _post(
        self, url: str, form: dict[str, str], headers: Mapping[str, str] | None = None, *,
        sign: bool = True,
    ) -> httpx.Response:
        """POST ``form`` as Twilio does, signed for the public ``url``, to where it maps."""
        sent = {"User-Agent": "TwilioProxy/1.1", **(headers or {})}
        if sign:
            sent["X-Twilio-Signature"] = self._validator.compute_signature(url, form)
        async with httpx.AsyncClient(trust_env=False, timeout=TWILIO_TIMEOUT) as client:
            return await client.post(self._local(url), data=form, headers=sent)

    def _local(self, url: str) -> str:
        for public, local in self._public_bases.items():
            if url == public or url.startswith((f"{public}/", f"{public}?")):
                return local + url[len(public):]
        return url

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

    def _raise_scripted(self, to: str) -> None:
        for failure in self._failures:
            if failure.to in (None, to):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                raise TwilioError(failure.status, failure.code, failure.message)


# ---- checks and shapes ----------------------------------------------------------------------

def _authenticate(request: Request) -> None:
    credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    if (request.headers.get("Authorization") != f"Basic {credentials}"
            or request.path_params["account_sid"] != ACCOUNT_SID):
        raise TwilioError(401, AUTHENTICATE, "Authenticate")


def _check_create(params: dict[str, str]) -> JSON:
    """Raise Twilio's error for a create it would refuse; return the content variables."""
    to, from_, body = params.get("To", ""), params.get("From", ""), params.get("Body", "")
    content_sid = params.get("ContentSid")
    if not WHATSAPP_ADDRESS.fullmatch(to):
        raise TwilioError(400, INVALID_TO, f"The 'To' number {to} is not a valid phone number.")
    if from_ != BOT_NUMBER and (from_ or not params.get("MessagingServiceSid")):
        raise TwilioError(400, INVALID_FROM, f"The 'From' number {from_} is not a valid phone "
                                             "number, shortcode, or alphanumeric sender ID.")
    if not body and not content_sid:
        raise TwilioError(400, NO_CONTENT, "A Message Body, Media URL or Content SID is required")
    if body and content_sid:  # the fake's own rule: what Twilio does with both is unverified
        raise TwilioError(400, NO_CONTENT, "Send either Body or ContentSid, not both")
    if _length(body) > MAX_BODY:
        raise TwilioError(400, BODY_TOO_LONG, "The concatenated message body exceeds the "
                                              f"{MAX_BODY} character limit")
    if content_sid is not None and not CONTENT_SID.fullmatch(content_sid):
        raise TwilioError(400, INVALID_CONTENT_SID, "The ContentSid is Invalid")
    return _content_variables(params)


def _content_variables(params: dict[str, str]) -> JSON:
    if "ContentVariables" not in params:
        return {}
    if "ContentSid" not in params:
        raise TwilioError(400, CONTENT_SID_REQUIRED, "ContentSid Required")
    try:
        variables = json.loads(params["ContentVariables"])
    except ValueError:
        variables = None
    if not isinstance(variables, dict) or not all(
            isinstance(value, str) for value in variables.values()):
        raise TwilioError(400, INVALID_CONTENT_VARIABLES,
                          "The ContentVariables Parameter is invalid")
    if any(_length(value) > MAX_BODY for value in variables.values()):
        raise TwilioError(400, PARAMETER_TOO_LONG, "Parameter exceeded character limit")
    return variables


def _resource(message: CreatedMessage, params: dict[str, str]) -> JSON:
    """The Message resource as Twilio answers a create (``accepted`` via a Messaging Service)."""
    created = format_datetime(message.at)
    uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message.sid}"
    return {
        "account_sid": ACCOUNT_SID, "api_version": API_VERSION, "body": message.body or "",
        "date_created": created, "date_sent": None, "date_updated": created,
        "direction": "outbound-api", "error_code": None, "error_message": None,
        "from": message.from_ or None, "messaging_service_sid": params.get("MessagingServiceSid"),
        "num_media": "0", "num_segments": "1", "price": None, "price_unit": "USD",
        "sid": message.sid, "status": "queued" if message.from_ else "accepted",
        "subresource_uris": {"media": f"{uri}/Media.json"}, "to": message.to,
        "uri": f"{uri}.json",
    }


def _message_type(
    media: Sequence[tuple[str, str]], location: tuple[float, float] | None,
    button_payload: str | None,
) -> str:
    if button_payload is not None:
        return "button"
    if location is not None:
        return "location"
    if media:
        kind = media[0][1].split("/")[0]
        return kind if kind in ("image", "video", "audio") else "document"
    return "text"


async def _parse_form(content: bytes, headers: httpx.Headers) -> FormData | None:
    """The form Starlette would parse from ``content`` (None if it is no form or won't parse)."""
    if not headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        return None

    async def stream() -> AsyncGenerator[bytes, None]:
        yield content

    try:
        return await FormParser(Headers(dict(headers)), stream()).parse()
    except Exception:  # noqa: BLE001 - whatever Starlette refuses, the bot refuses too
        return None


async def _set(event: asyncio.Event) -> None:
    """Async, so Starlette runs it on the loop and not in a thread."""
    event.set()


def _length(text: str) -> int:
    """Characters as Twilio counts them: UTF-16 code units, an emoji is two (unverified; the
    stricter choice, so a bot that fits here fits at Twilio)."""
    return len(text.encode("utf-16-le")) // 2


def _sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(UTC)
