"""What a browser may send to the web chat, read strictly: a JSON object of known fields,
within the size limit, or the 4xx that says what is wrong (never a 500)."""

import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.campaigns import campaign_code_ok
from bot.channels.http import read_body

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_CHOICE = 64
MAX_TEXT = 4096


@dataclass(frozen=True)
class NewSession:
    campaign: str | None
    locale: str | None


@dataclass(frozen=True)
class Message:
    client_id: str
    text: str = ""
    choice: str | None = None


def refused(status: int, error: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, **extra}, status_code=status, headers=NO_STORE)


NO_STORE = {"Cache-Control": "no-store"}


async def _object(request: Request, limit: int) -> dict[str, Any] | JSONResponse:
    """The body as a JSON object ({} for an empty body), or the refusal."""
    body = await read_body(request, limit)
    if body is None:
        return refused(413, "too_large")
    if not body.strip():
        return {}
    try:
        found = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return refused(400, "not_json")
    if not isinstance(found, dict):
        return refused(400, "not_an_object")
    return found


async def new_session(request: Request, limit: int, locales: tuple[str, ...]
                      ) -> NewSession | JSONResponse:
    """An unknown language is the default one, a malformed campaign code none (as a Telegram
    deep link's): neither stops a young person from talking."""
    found = await _object(request, limit)
    if isinstance(found, JSONResponse):
        return found
    campaign, locale = found.get("campaign"), found.get("locale")
    return NewSession(campaign if isinstance(campaign, str) and campaign_code_ok(campaign)
                      else None, locale if locale in locales else None)


async def message(request: Request, limit: int) -> Message | JSONResponse:
    found = await _object(request, limit)
    if isinstance(found, JSONResponse):
        return found
    client_id, text, choice = found.get("id"), found.get("text"), found.get("choice")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        return refused(400, "bad_id")
    if isinstance(choice, str) and 0 < len(choice) <= MAX_CHOICE:
        return Message(client_id, choice=choice)
    if isinstance(text, str) and text.strip() and len(text) <= MAX_TEXT:
        return Message(client_id, text=text)
    return refused(400, "no_text")


def after(request: Request) -> int | None:
    """The ``after`` query parameter: a reply id, 0 when absent, None when it is not one."""
    value = request.query_params.get("after", "0")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None
