"""Settings with a staff group, for tests of what only exists once staff can see it."""

from bot.config import Settings

STAFF_CHAT = -1001234567890
CASEWORKER = 9001


def with_staff_group(settings: Settings) -> Settings:
    return settings.model_copy(update={"telegram_staff_chat_id": STAFF_CHAT,
                                       "telegram_staff_user_ids": f"{CASEWORKER}, 9003"})
