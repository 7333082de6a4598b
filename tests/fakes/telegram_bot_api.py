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
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.telegram_methods import BotMethods
from tests.fakes.telegram_wire import (
    ADMIN_RIGHTS,
    COMMAND,
    ENVELOPE_KEYS,
    JSON,
    MAX_ANSWER_TEXT,
    MAX_CALLBACK_DATA_BYTES,
    MAX_TEXT,
    MAX_TOPIC_NAME,
    STRING_PARAMS,
    TOKEN,
    WEBHOOK_TIMEOUT,
    ApiError,
    Call,
    _Failure,
    _now,
    _read_params,
)

__all__ = [
    "COMMAND", "ENVELOPE_KEYS", "JSON", "MAX_ANSWER_TEXT", "MAX_CALLBACK_DATA_BYTES", "MAX_TEXT",
    "MAX_TOPIC_NAME", "STRING_PARAMS", "TOKEN", "WEBHOOK_TIMEOUT", "ApiError", "Call",
    "FakeBotAPI",
]


class FakeBotAPI(BotMethods, Starlette):
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
        self.members: dict[int, dict[int, JSON]] = defaultdict(dict)
        """Per group the bot was added to (``join``), its members by user id."""
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
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
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

    def join(self, chat_id: int, user_id: int | None = None, *, admin: bool = False,
             **rights: bool) -> None:
        """Add the bot (or a user) to a group, as a member or as an administrator whose rights
        are all those of a new admin in Telegram's app unless ``rights`` says otherwise."""
        uid = self.bot_user["id"] if user_id is None else user_id
        user = self.bot_user if user_id is None else self._user(uid, None)
        member: JSON = {"status": "member", "user": user}
        if admin:
            member = {"status": "administrator", "user": user, "can_be_edited": False,
                      "is_anonymous": False} | dict.fromkeys(ADMIN_RIGHTS, True) | rights
        self.members[chat_id][uid] = member

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

    def recover(self) -> None:
        """Forget the scripted failures still to come: the API answers normally again."""
        self._failures.clear()

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
