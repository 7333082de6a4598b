"""What the fake Bot API remembers of chats, users and messages, and how it builds them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tests.fakes.telegram_wire import JSON, ApiError, _chat_id, _need, _now


class ChatStore:
    """Messages by (chat id, message id), users by id, forum topics; mixed into ``FakeBotAPI``,
    whose ``__init__`` sets these attributes."""

    bot_user: JSON
    forums: frozenset[int]
    topics: dict[int, dict[int, str]]
    _last_message_id: defaultdict[int, int]
    _messages: dict[tuple[int, int], JSON]
    _users: dict[int, JSON]

    def _in_topic(self, chat_id: int, thread: object) -> JSON:
        """The fields of a message written in a forum topic (none outside one)."""
        if thread is None:
            return {}
        if not isinstance(thread, int) or thread not in self.topics.get(chat_id, {}):
            raise ApiError(400, "Bad Request: message thread not found")
        return {"message_thread_id": thread, "is_topic_message": True}

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
