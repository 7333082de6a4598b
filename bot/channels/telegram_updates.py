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
    edits, group chats, the bot's own membership changes, unknown kinds)."""
    delivery = str(update.update_id)
    if (query := update.callback_query) is not None:
        if query.message is None or query.message.chat.type != ChatType.PRIVATE:
            return None
        return Inbound(CHANNEL, str(query.message.chat.id), choice_id=query.data or "",
                       delivery_id=delivery)
    message = update.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return None
    address = str(message.chat.id)
    if message.text is not None:
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
    if change is None or change.chat.type != ChatType.PRIVATE:
        return None
    if change.new_chat_member.status == ChatMemberStatus.BANNED:  # "kicked": the user blocked us
        return str(change.chat.id)
    return None
