"""Telegram: the token (getMe), the webhook (getWebhookInfo), the staff group (getChat,
getChatMember), through python-telegram-bot at TELEGRAM_API_BASE_URL. The token is never
printed: python-telegram-bot's errors may quote it, so only fixed texts are shown for them."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from telegram import Bot, ChatMember, ChatMemberAdministrator
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from bot.config import Settings
from bot.doctor.checks import Check, check_failed, check_off, check_passed

LAST_ERROR_RECENT = 3600
"""Telegram's last failed delivery to the webhook counts when newer than this (seconds)."""
SET_WEBHOOK = "youthbot telegram set-webhook"


@asynccontextmanager
async def bot_for(settings: Settings) -> AsyncIterator[Bot]:
    """The Bot API client; entering it calls getMe (InvalidToken when Telegram refuses)."""
    assert settings.telegram_bot_token is not None
    bot = Bot(settings.telegram_bot_token.get_secret_value(),
              base_url=settings.telegram_api_base_url)
    async with bot:
        yield bot


async def telegram_checks(settings: Settings) -> list[Check]:
    if settings.telegram_bot_token is None:
        if settings.telegram_staff_chat_id is not None:
            return [check_failed("Telegram", "TELEGRAM_STAFF_CHAT_ID is set but TELEGRAM_BOT_TOKEN "
                           "is not: nobody would receive the referrals",
                           "set TELEGRAM_BOT_TOKEN (from @BotFather)")]
        return [check_off("Telegram", "off (TELEGRAM_BOT_TOKEN is not set)")]
    try:
        async with bot_for(settings) as bot:
            checks = [check_passed("Telegram token", f"valid: @{bot.username} (id {bot.id})")]
            checks.append(await _webhook(bot, settings))
            checks += await _staff_group(bot, settings)
            return checks
    except InvalidToken:
        return [check_failed("Telegram token", "TELEGRAM_BOT_TOKEN was refused by Telegram",
                       "copy the token again from @BotFather")]
    except TelegramError as error:
        return [check_failed("Telegram", f"the Bot API at {_base(settings)} did not answer "
                       f"({type(error).__name__})", "check the network and "
                       "TELEGRAM_API_BASE_URL (leave it unset for Telegram itself)")]


def _base(settings: Settings) -> str:
    parts = urlsplit(settings.telegram_api_base_url)
    return f"{parts.scheme}://{parts.netloc}"


async def _webhook(bot: Bot, settings: Settings) -> Check:
    info = await bot.get_webhook_info()
    wanted = settings.telegram_webhook_url
    if not wanted:
        if info.url:
            return check_failed("Telegram webhook", f"Telegram sends updates to {info.url}, so long "
                          "polling gets none", "set TELEGRAM_WEBHOOK_URL and "
                          f"TELEGRAM_WEBHOOK_SECRET to that address and run `{SET_WEBHOOK}`")
        return check_passed("Telegram updates", "long polling (no webhook set)")
    if not wanted.startswith("https://"):
        return check_failed("Telegram webhook", "TELEGRAM_WEBHOOK_URL must start with https://",
                      "use the public https address, e.g. https://bot.example.org"
                      "/webhooks/telegram")
    if info.url != wanted:
        now = info.url or "nowhere"
        return check_failed("Telegram webhook", f"Telegram sends updates to {now}, not to "
                      "TELEGRAM_WEBHOOK_URL", f"run `{SET_WEBHOOK}`")
    last = info.last_error_date
    if last is not None and time.time() - last.timestamp() < LAST_ERROR_RECENT:
        return check_failed("Telegram webhook", f"Telegram's last delivery failed: "
                      f"{info.last_error_message} ({info.pending_update_count} waiting)",
                      "check that the service runs and the proxy passes /webhooks/telegram")
    return check_passed("Telegram webhook", f"set to {wanted}")


async def _staff_group(bot: Bot, settings: Settings) -> list[Check]:
    chat_id = settings.telegram_staff_chat_id
    if chat_id is None:
        return [check_off("staff group", "none (TELEGRAM_STAFF_CHAT_ID is not set): young people "
                    "are not offered to talk to someone")]
    try:
        chat = await bot.get_chat(chat_id)
        me = await bot.get_chat_member(chat_id, bot.id)
    except (BadRequest, Forbidden) as error:
        return [check_failed_staff_group(bot, f"chat {chat_id}: {error.message}")]
    name = f"{chat.title or chat_id} ({chat_id})"
    if me.status not in (ChatMember.ADMINISTRATOR, ChatMember.OWNER):
        return [check_failed_staff_group(bot, f"the bot is {me.status} in {name}, not an admin: it would "
                                "miss the staff's answers")]
    if chat.is_forum and isinstance(me, ChatMemberAdministrator) and not me.can_manage_topics:
        return [check_failed("staff group", f"{name} has topics, but the bot may not manage them",
                       "give the bot the admin right 'Manage topics'")]
    return [check_passed("staff group", f"the bot is an admin of {name}"),
            *[await _caseworker(bot, chat_id, user) for user in sorted(settings.staff_user_ids)]]


def check_failed_staff_group(bot: Bot, detail: str) -> Check:
    return check_failed("staff group", detail, f"add @{bot.username} to the staff group and "
                        "make it an admin (`youthbot telegram whoami` shows the group's id)")


async def _caseworker(bot: Bot, chat_id: int, user_id: int) -> Check:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except BadRequest as error:
        return check_failed(f"caseworker {user_id}", error.message, "check TELEGRAM_STAFF_USER_IDS")
    if member.status in (ChatMember.LEFT, ChatMember.BANNED):
        return check_failed(f"caseworker {user_id}", "not in the staff group",
                      "add them to the group, or take them out of TELEGRAM_STAFF_USER_IDS")
    return check_passed(f"caseworker {user_id}", f"in the staff group ({member.user.first_name})")
