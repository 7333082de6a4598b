"""The fake Twilio's wire protocol: constants and error codes, what a create and a status
callback look like, Twilio's error JSON, and how a create is checked and answered."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import uuid
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
from starlette.datastructures import FormData, Headers
from starlette.formparsers import FormParser
from starlette.requests import Request
from starlette.responses import JSONResponse

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
