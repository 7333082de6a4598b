"""``youthbot telegram whoami``: the bot's own id and name, and the chats and people it saw
lately, so an admin finds the staff group's chat id and the caseworkers' user ids without
reading any code: add the bot to the group, have everyone write ``/id`` there, run this.

It reads getUpdates without confirming anything (no offset), so the service still gets every
update later. Telegram keeps updates for getUpdates only while no webhook is set, and lets one
reader at a time: with the service polling, this gets a Conflict.
"""

from dataclasses import dataclass, field

from telegram import Chat, Update, User, WebhookInfo

from bot.config import Settings
from bot.doctor.telegram import bot_for


@dataclass
class SeenChat:
    id: int
    kind: str
    title: str
    people: dict[int, str] = field(default_factory=dict)
    """Who wrote there (or added the bot): user id -> first name."""


@dataclass
class Identity:
    me: User
    webhook: WebhookInfo
    chats: list[SeenChat]


async def whoami(settings: Settings) -> Identity:
    """Raises python-telegram-bot's InvalidToken, Conflict or NetworkError as they come."""
    async with bot_for(settings) as bot:
        webhook = await bot.get_webhook_info()
        updates = () if webhook.url else await bot.get_updates(timeout=0)
        return Identity(bot.bot, webhook, seen_chats(updates))


def seen_chats(updates: tuple[Update, ...]) -> list[SeenChat]:
    """The groups in the updates, with who wrote there. Private chats are left out: they are
    young people's, and nobody setting up needs to see them."""
    chats: dict[int, SeenChat] = {}
    for update in updates:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or chat.type == Chat.PRIVATE:
            continue
        seen = chats.setdefault(chat.id, SeenChat(chat.id, chat.type, _title(chat)))
        if user is not None and not user.is_bot:
            seen.people[user.id] = user.first_name
    return list(chats.values())


def _title(chat: Chat) -> str:
    return chat.title or " ".join(filter(None, (chat.first_name, chat.last_name))) or ""
