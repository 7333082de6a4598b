"""A fake Telegram Bot API for offline end-to-end tests of a python-telegram-bot 22 bot.

It speaks the wire protocol PTB uses (``POST /bot<TOKEN>/<method>``, form, multipart, JSON or
empty bodies; ``{"ok": ..., "result"|"description": ...}`` envelopes) and enforces Telegram's
real limits with Telegram's real 400 texts, so a bot that passes here fails less in production.
Tests push updates in with ``push_*``, read what the bot did from ``calls``/``sent()``, and
script errors with ``fail_next``. Serve it with ``tests.fakes.server.serving(api)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

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


class FakeBotAPI(Starlette):
    """The fake server itself (an ASGI app) plus the controls tests use to drive it."""

    def __init__(
        self, token: str = TOKEN, *, webhook_retries: int = 2,
        forums: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(routes=[
            Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
        ])
        self.token = token
        self.webhook_retries = webhook_retries
        self.bot_user: JSON = {
            "id": int(token.split(":")[0]), "is_bot": True, "first_name": "Kukës Youth",
            "username": "kukes_youth_bot", "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self._pending: list[JSON] = []
        self._arrived = asyncio.Condition()
        self._polls = 0
        self._last_update_id = 0
        self._last_message_id: defaultdict[int, int] = defaultdict(int)
        self._messages: dict[tuple[int, int], JSON] = {}
        self._users: dict[int, JSON] = {}
        self._open_queries: set[str] = set()
        self._queries_made = 0
        self._failures: list[_Failure] = []
        self.forums = forums
        """Supergroups with topics turned on (``is_forum``)."""
        self.topics: dict[int, dict[int, str]] = defaultdict(dict)
        """Per forum, the topics the bot created: thread id -> name."""
        handlers: dict[str, Callable[[JSON], Coroutine[Any, Any, Any]]] = {
            "getMe": self._get_me, "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook, "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info, "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands, "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands, "sendChatAction": self._send_chat_action,
            "copyMessage": self._copy_message, "forwardMessage": self._forward_message,
            "getChat": self._get_chat, "createForumTopic": self._create_forum_topic,
        }
        # Telegram matches method names case-insensitively.
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # ---- inspection -------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """Every call of ``method``, failed ones included."""
        return [call for call in self.calls if call.method == method]

    def sent(self, chat_id: int | str | None = None) -> list[JSON]:
        """Params of the sendMessage calls that succeeded, in order (optionally for one chat)."""
        return [call.params for call in self.calls_to("sendMessage") if call.status == 200
                and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))]

    def bot_messages(self, chat_id: int) -> list[JSON]:
        """The messages the bot has in a chat, as Telegram holds them (with their ids), oldest
        first: what a staff member replies to."""
        return [message for (cid, _mid), message in sorted(self._messages.items())
                if cid == chat_id and message["from"]["id"] == self.bot_user["id"]]

    async def wait_for(
        self, predicate: Callable[[FakeBotAPI], bool], timeout: float = 5.0
    ) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                seen = [(call.method, call.status) for call in self.calls]
                raise AssertionError(f"condition not met within {timeout}s; calls: {seen}")
            await asyncio.sleep(0.01)

    async def wait_sent(
        self, count: int, chat_id: int | str | None = None, timeout: float = 5.0
    ) -> list[JSON]:
        await self.wait_for(lambda api: len(api.sent(chat_id)) >= count, timeout)
        return self.sent(chat_id)

    # ---- scripted failures ------------------------------------------------------------------

    def fail_next(
        self, method: str, chat_id: int | str | None = None, *, status: int, description: str,
        retry_after: int | None = None, migrate_to_chat_id: int | None = None, times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (for ``chat_id``) with this error."""
        parameters = {key: value for key, value in (
            ("retry_after", retry_after), ("migrate_to_chat_id", migrate_to_chat_id),
        ) if value is not None}
        self._failures.append(
            _Failure(method.lower(), chat_id, status, description, parameters, times))

    def _raise_scripted(self, method: str, params: JSON) -> None:
        for failure in self._failures:
            if failure.method == method.lower() and (
                failure.chat_id is None or str(failure.chat_id) == str(params.get("chat_id"))
            ):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                raise ApiError(failure.status, failure.description, failure.parameters)

    # ---- pushing updates --------------------------------------------------------------------

    async def push_message(
        self, chat_id: int, text: str, *, user_id: int | None = None, first_name: str = "Ana",
        language_code: str = "sq", update_id: int | None = None, reply_to: int | None = None,
        thread: int | None = None,
    ) -> JSON:
        """A user's text message; ``reply_to`` is the message_id it replies to (staff relays),
        ``thread`` the forum topic it is written in."""
        user = self._user(chat_id, user_id, first_name=first_name, language_code=language_code)
        fields: JSON = {"text": text} | self._in_topic(chat_id, thread)
        if text.startswith("/"):  # entity lengths count UTF-16 code units
            length = len(text.split()[0].encode("utf-16-le")) // 2
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            fields["reply_to_message"] = self._replied(chat_id, {"message_id": reply_to})
        message = self._new_message(chat_id, user, **fields)
        extra = {} if update_id is None else {"update_id": update_id}
        return await self._deliver({**extra, "message": message})

    async def push_callback(
        self, chat_id: int, data: str, message_id: int | None = None, user_id: int | None = None
    ) -> JSON:
        """A button press on a bot message of the chat (the latest one if no ``message_id``)."""
        message = self._bot_message(chat_id, message_id)
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        if data not in [button.get("callback_data") for row in rows for button in row]:
            raise AssertionError(f"message {message['message_id']} has no button {data!r}; "
                                 "use push_update() to send data no button carries")
        self._queries_made += 1
        query = {"id": str(self._queries_made), "from": self._user(chat_id, user_id),
                 "chat_instance": str(chat_id), "data": data, "message": message}
        return await self._deliver({"callback_query": query})

    async def push_photo(
        self, chat_id: int, *, caption: str | None = None, user_id: int | None = None
    ) -> JSON:
        sizes = [{"file_id": f"photo-{chat_id}-{side}", "file_unique_id": f"u{chat_id}{side}",
                  "width": side, "height": side, "file_size": side * 40} for side in (90, 800)]
        fields: JSON = {"photo": sizes} | ({"caption": caption} if caption else {})
        message = self._new_message(chat_id, self._user(chat_id, user_id), **fields)
        return await self._deliver({"message": message})

    async def push_blocked(self, chat_id: int) -> JSON:
        """The user blocked the bot: my_chat_member with the bot's new status ``kicked``."""
        update = {"chat": self._chat(chat_id), "from": self._user(chat_id, None),
                  "date": _now(), "old_chat_member": {"status": "member", "user": self.bot_user},
                  "new_chat_member": {"status": "kicked", "user": self.bot_user, "until_date": 0}}
        return await self._deliver({"my_chat_member": update})

    async def push_update(self, raw: JSON) -> JSON:
        """Any other update; an ``update_id`` is added unless ``raw`` has one."""
        return await self._deliver(dict(raw))

    async def deliver_again(self, update: JSON) -> JSON:
        """Redeliver an update unchanged (same update_id), as Telegram does after a failure."""
        return await self._deliver(update)

    async def _deliver(self, update: JSON) -> JSON:
        if "update_id" not in update:
            update = {"update_id": self._last_update_id + 1, **update}
        self._last_update_id = max(self._last_update_id, update["update_id"])
        if "callback_query" in update:
            self._open_queries.add(update["callback_query"]["id"])
        if self.webhook_url:
            await self._post_to_webhook(update)
        else:
            async with self._arrived:
                self._pending.append(update)
                self._arrived.notify_all()
        return update

    async def _post_to_webhook(self, update: JSON) -> None:
        """POST like Telegram: secret header, and again on non-2xx or no answer."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if (
            self.webhook_secret) else {}
        async with httpx.AsyncClient(trust_env=False, timeout=WEBHOOK_TIMEOUT) as client:
            for _ in range(1 + self.webhook_retries):
                with contextlib.suppress(httpx.TransportError):
                    response = await client.post(self.webhook_url, json=update, headers=headers)
                    if response.is_success:
                        return

    # ---- HTTP -------------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        call = Call(request.path_params["method"], {}, time.monotonic())
        self.calls.append(call)
        try:
            call.params = await _read_params(request)
            if request.path_params["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if call.method.lower() not in self._methods:
                raise ApiError(404, "Not Found")
            call.method, handler = self._methods[call.method.lower()]
            self._raise_scripted(call.method, call.params)
            result = await handler(call.params)
        except ApiError as error:
            call.status = error.status
            return error.response()
        return JSONResponse({"ok": True, "result": result})

    # ---- methods ----------------------------------------------------------------------------

    async def _get_me(self, params: JSON) -> JSON:
        return self.bot_user

    async def _get_updates(self, params: JSON) -> list[JSON]:
        """Long poll; a newer getUpdates ends an older one with 409, as Telegram does (PTB's
        final getUpdates at stop thereby frees the poll it abandoned)."""
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        self._pending = [update for update in self._pending if update["update_id"] >= offset]
        async with self._arrived:
            self._polls += 1
            mine = self._polls
            self._arrived.notify_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait_for(
                    lambda: bool(self._pending) or self._polls != mine),
                    float(params.get("timeout") or 0))
        if self._polls != mine:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")
        return self._pending[:int(params.get("limit") or 100)]

    async def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = _need(params, "url")
        self.webhook_secret = params.get("secret_token")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        self.webhook_url, self.webhook_secret = "", None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": 0 if self.webhook_url else len(self._pending)}

    async def _send_message(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        fields: JSON = {"text": _check_text(params.get("text"), params.get("parse_mode"))}
        if markup := _inline_markup(params.get("reply_markup")):
            fields["reply_markup"] = markup
        if "entities" in params:
            fields["entities"] = params["entities"]
        if (reply := params.get("reply_parameters")) and (
                replied := self._replied(chat_id, reply)):
            fields["reply_to_message"] = replied
        fields |= self._in_topic(chat_id, params.get("message_thread_id"))
        return self._new_message(chat_id, self.bot_user, **fields)

    async def _create_forum_topic(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        if chat_id not in self.forums:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        name = str(_need(params, "name"))
        if not 1 <= len(name) <= MAX_TOPIC_NAME:
            raise ApiError(400, "Bad Request: TOPIC_TITLE_EMPTY" if not name
                           else "Bad Request: TOPIC_TITLE_TOO_LONG")
        self._last_message_id[chat_id] += 1  # a topic's id is its service message's id
        thread = self._last_message_id[chat_id]
        self.topics[chat_id][thread] = name
        return {"message_thread_id": thread, "name": name, "icon_color": 7322096}

    def _in_topic(self, chat_id: int, thread: object) -> JSON:
        """The fields of a message written in a forum topic (none outside one)."""
        if thread is None:
            return {}
        if not isinstance(thread, int) or thread not in self.topics.get(chat_id, {}):
            raise ApiError(400, "Bad Request: message thread not found")
        return {"message_thread_id": thread, "is_topic_message": True}

    async def _edit_message_text(self, params: JSON) -> JSON | bool:
        text = _check_text(params.get("text"), params.get("parse_mode"))
        markup = _inline_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            return True
        return self._edit(self._editable(params), text=text, reply_markup=markup)

    async def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        markup = _inline_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            return True
        return self._edit(self._editable(params), reply_markup=markup)

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = _need(params, "callback_query_id")
        if query_id not in self._open_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        if len(params.get("text") or "") > MAX_ANSWER_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_queries.remove(query_id)
        return True

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands") or []
        if not all(COMMAND.fullmatch(str(command.get("command"))) for command in commands):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[_commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands.get(_commands_key(params), [])

    async def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    async def _send_chat_action(self, params: JSON) -> bool:
        _chat_id(params)
        return True

    async def _copy_message(self, params: JSON) -> JSON:
        source = self._source(params, "copy")
        content = {key: value for key, value in source.items() if key not in ENVELOPE_KEYS}
        if "caption" in params:
            content["caption"] = params["caption"]
        if markup := _inline_markup(params.get("reply_markup")):
            content["reply_markup"] = markup
        copy = self._new_message(_chat_id(params), self.bot_user, **content)
        return {"message_id": copy["message_id"]}

    async def _forward_message(self, params: JSON) -> JSON:
        """Returns a full Message, as Telegram does (PTB parses it into one)."""
        source = self._source(params, "forward")
        content = {key: value for key, value in source.items() if key not in ENVELOPE_KEYS}
        origin = {"type": "user", "sender_user": source["from"], "date": source["date"]}
        return self._new_message(
            _chat_id(params), self.bot_user, forward_origin=origin, **content)

    async def _get_chat(self, params: JSON) -> JSON:
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), True)
        chat_id = _chat_id(params)
        forum = {"is_forum": True} if chat_id in self.forums else {}
        return self._chat(chat_id) | forum | {
            "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    # ---- messages, chats and users ----------------------------------------------------------

    def _user(self, chat_id: int, user_id: int | None, **profile: str) -> JSON:
        """The sender (``chat_id`` unless given): as last seen, or updated with ``profile``."""
        uid = chat_id if user_id is None else user_id
        if profile or uid not in self._users:
            self._users[uid] = {"id": uid, "is_bot": False, "first_name": "Ana",
                                "language_code": "sq", **profile}
        return self._users[uid]

    def _chat(self, chat_id: int) -> JSON:
        if chat_id > 0:
            name = self._users.get(chat_id, {}).get("first_name", "Ana")
            return {"id": chat_id, "type": "private", "first_name": name}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Staff"}

    def _new_message(self, chat_id: int, sender: JSON, **fields: Any) -> JSON:
        """Store a message under the next id of its chat (users and bot share the counter)."""
        self._last_message_id[chat_id] += 1
        message = {"message_id": self._last_message_id[chat_id], "from": sender,
                   "chat": self._chat(chat_id), "date": _now(), **fields}
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _replied(self, chat_id: int, reply: JSON) -> JSON | None:
        original = self._messages.get((int(reply.get("chat_id", chat_id)), reply["message_id"]))
        if original is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return None if original is None else {
            key: value for key, value in original.items() if key != "reply_to_message"}

    def _bot_message(self, chat_id: int, message_id: int | None) -> JSON:
        ids = [mid for (cid, mid), message in self._messages.items()
               if cid == chat_id and message["from"]["id"] == self.bot_user["id"]
               and message_id in (None, mid)]
        if not ids:
            raise AssertionError(f"the bot has sent no message {message_id} to chat {chat_id}")
        return self._messages[(chat_id, max(ids))]

    def _editable(self, params: JSON) -> JSON:
        message = self._messages.get((_chat_id(params), int(_need(params, "message_id"))))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _edit(self, message: JSON, **changes: Any) -> JSON:
        """Apply ``changes`` (None removes the key, as a missing reply_markup does)."""
        if all(message.get(key) == value for key, value in changes.items()):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        edited = {key: value for key, value in (message | changes).items() if value is not None}
        edited["edit_date"] = _now()
        self._messages[(message["chat"]["id"], message["message_id"])] = edited
        return edited

    def _source(self, params: JSON, verb: str) -> JSON:
        key = (int(_need(params, "from_chat_id")), int(_need(params, "message_id")))
        if key not in self._messages:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        return self._messages[key]


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


def _now() -> int:
    return int(time.time())
