"""The Bot API methods the fake answers (getMe, getUpdates, sendMessage, …), one handler each."""

from __future__ import annotations

import asyncio
import contextlib

from tests.fakes.telegram_chats import ChatStore
from tests.fakes.telegram_wire import (
    COMMAND,
    ENVELOPE_KEYS,
    JSON,
    MAX_ANSWER_TEXT,
    MAX_TOPIC_NAME,
    ApiError,
    _chat_id,
    _check_text,
    _commands_key,
    _inline_markup,
    _need,
)


class BotMethods(ChatStore):
    """The method handlers, mixed into ``FakeBotAPI``, whose ``__init__`` sets these attributes
    and maps each method name to its handler."""

    webhook_url: str
    webhook_secret: str | None
    commands: dict[tuple[str, str], list[JSON]]
    _pending: list[JSON]
    _arrived: asyncio.Condition
    _polls: int
    _open_queries: set[str]
    members: dict[int, dict[int, JSON]]

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

    async def _get_chat_member(self, params: JSON) -> JSON:
        """A group member as Telegram describes them; 400 for a chat the bot is not in."""
        chat_id, user_id = _chat_id(params), int(_need(params, "user_id"))
        return self._member(chat_id, user_id)

    async def _get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat_id = _chat_id(params)
        self._member(chat_id, self.bot_user["id"])  # 400 unless the bot is in the group
        return [member for member in self.members[chat_id].values()
                if member["status"] in ("creator", "administrator")]

    def _member(self, chat_id: int, user_id: int) -> JSON:
        if chat_id > 0 or chat_id not in self.members:
            raise ApiError(400, "Bad Request: chat not found")
        user = self.bot_user if user_id == self.bot_user["id"] else self._user(user_id, None)
        return self.members[chat_id].get(user_id, {"status": "left", "user": user})
