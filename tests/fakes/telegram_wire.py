"""The fake Bot API's wire protocol: its constants, what a call looks like, the error envelope,
and how a request's parameters are read and checked (Telegram's real limits and 400 texts).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

JSON = dict[str, Any]
TOKEN = "123456:TEST-fake-token"
MAX_TEXT = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_ANSWER_TEXT = 200
MAX_TOPIC_NAME = 128
WEBHOOK_TIMEOUT = 10.0
COMMAND = re.compile(r"[a-z0-9_]{1,32}")
# PTB sends strings raw and JSON-encodes everything else, so "123" in these fields is still text.
STRING_PARAMS = frozenset({
    "text", "caption", "url", "secret_token", "parse_mode", "language_code", "action",
    "callback_query_id", "inline_message_id", "business_connection_id", "name",
})
# Message keys that describe the envelope, not the content that copy/forward carry over.
ENVELOPE_KEYS = frozenset({
    "message_id", "from", "chat", "date", "edit_date", "reply_to_message", "reply_markup",
    "forward_origin",
})


@dataclass
class Call:
    """One request the bot made; ``status`` is the HTTP status the fake answered with."""

    method: str
    params: JSON
    at: float
    status: int = 200


@dataclass
class _Failure:
    method: str
    chat_id: int | str | None
    status: int
    description: str
    parameters: JSON
    times: int


class ApiError(Exception):
    """An error envelope to answer with; raised inside method handlers."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters or {}

    def response(self) -> JSONResponse:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return JSONResponse(body, status_code=self.status)


# ---- request parsing and validation ---------------------------------------------------------

async def _read_params(request: Request) -> JSON:
    """Query string plus body (form, multipart, JSON or empty), values JSON-decoded if possible."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    raw: JSON = dict(request.query_params)
    if content_type.startswith("application/json"):
        raw.update(json.loads(body or b"{}"))
    elif content_type.startswith("multipart/form-data"):
        raw.update(_parse_multipart(content_type, body))
    else:
        raw.update(parse_qsl(body.decode(), keep_blank_values=True))
    return {key: _decode(key, value) for key, value in raw.items()}


def _parse_multipart(content_type: str, body: bytes) -> dict[str, str | bytes]:
    """Multipart with the stdlib (Starlette's parser needs python-multipart); files stay bytes."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = cast(EmailMessage, BytesParser(policy=policy.HTTP).parsebytes(head + body))
    fields: dict[str, str | bytes] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = cast(bytes, part.get_payload(decode=True))
        fields[name] = payload if part.get_filename() else payload.decode()
    return fields


def _decode(key: str, value: Any) -> Any:
    if isinstance(value, str) and key not in STRING_PARAMS:
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _need(params: JSON, key: str) -> Any:
    if params.get(key) in (None, ""):
        raise ApiError(400, f"Bad Request: {key} is empty")
    return params[key]


def _chat_id(params: JSON) -> int:
    """The fake knows chats by number only; ``@username`` chats are "not found"."""
    chat_id = _need(params, "chat_id")
    if not isinstance(chat_id, int):
        raise ApiError(400, "Bad Request: chat not found")
    return chat_id


def _check_text(text: Any, parse_mode: Any) -> str:
    """Telegram counts text after entity parsing: HTML tags and escapes don't count."""
    visible = str(text or "")
    if parse_mode == "HTML":
        visible = html.unescape(re.sub(r"<[^>]*>", "", visible))
    if not visible.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(visible) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return str(text)


def _inline_markup(markup: Any) -> JSON | None:
    """The markup to echo: only inline keyboards appear on a Message; check callback_data."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not (
                    1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES):
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _commands_key(params: JSON) -> tuple[str, str]:
    """("default", ""), ("all_private_chats", "sq"), ("chat:-100123", "en"), ..."""
    scope = params.get("scope") or {"type": "default"}
    parts = [str(scope[key]) for key in ("type", "chat_id", "user_id") if key in scope]
    return ":".join(parts), params.get("language_code") or ""


ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics",
)
"""A ChatMemberAdministrator's rights (Bot API 7+); the last two only in supergroups."""


def _now() -> int:
    return int(time.time())
