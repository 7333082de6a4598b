"""Reading Telegram updates: a private chat's message or button press as the engine's
``Inbound``, and the update that says a user blocked the bot."""

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.campaigns import CODE
from bot.messages import Inbound, Media

CHANNEL = "telegram"
_MEDIA = (
    ("photo", Media.IMAGE), ("voice", Media.AUDIO), ("audio", Media.AUDIO),
    ("video", Media.VIDEO), ("video_note", Media.VIDEO), ("animation", Media.VIDEO),
    ("sticker", Media.STICKER), ("location", Media.LOCATION), ("venue", Media.LOCATION),
    ("document", Media.FILE), ("contact", Media.OTHER), ("poll", Media.OTHER),
)


def to_inbound(update: Update) -> Inbound | None:
    """The update as a message for the engine, or None when it is not one (ignored on purpose:
    edits, group chats, the bot's own membership changes, unknown kinds, and updates that lack
    what Telegram always sends, which python-telegram-bot leaves as None)."""
    delivery = str(update.update_id)
    if (query := update.callback_query) is not None:
        if (chat_id := _private_chat(query.message)) is None:
            return None
        data = query.data if isinstance(query.data, str) else ""
        return Inbound(CHANNEL, chat_id, choice_id=data, delivery_id=delivery)
    message = update.message
    if (address := _private_chat(message)) is None:
        return None
    assert message is not None
    if isinstance(message.text, str):
        text, campaign = message.text, None
        command, _, payload = text.partition(" ")
        if command == "/start" and payload:
            text = command
            campaign = payload if CODE.match(payload) else None
        return Inbound(CHANNEL, address, text=text, delivery_id=delivery, campaign=campaign)
    media = next((kind for field, kind in _MEDIA if getattr(message, field, None)), Media.OTHER)
    return Inbound(CHANNEL, address, media=media, delivery_id=delivery)


def blocked_by(update: Update) -> str | None:
    """The private chat whose user just blocked the bot, if this update says so."""
    change = update.my_chat_member
    if (address := _private_chat(change)) is None:
        return None
    assert change is not None
    if getattr(change.new_chat_member, "status", None) == ChatMemberStatus.BANNED:  # "kicked"
        return address
    return None


def _private_chat(item: object) -> str | None:
    """The id of the private chat a message or change is in; None for any other chat, and for
    a broken update whose chat is missing or has no numeric id."""
    chat = getattr(item, "chat", None)
    chat_id = getattr(chat, "id", None)
    if getattr(chat, "type", None) != ChatType.PRIVATE or type(chat_id) is not int:
        return None
    return str(chat_id)
