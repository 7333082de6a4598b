"""Switching between Albanian and English; the conversation goes on in the new language."""

from bot.config import other_locale
from bot.content import MENU
from bot.handlers import start
from bot.messages import Outbound
from bot.routes import SwitchLanguage
from bot.turn import Turn


async def switch(turn: Turn) -> list[Outbound]:
    """To the language asked for, or (with no target, e.g. /gjuha) to the other one."""
    asked = turn.route.maybe(SwitchLanguage)
    turn.user.locale = (asked.locale if asked else None) or other_locale(turn.locale)
    if turn.is_new_user:
        return await start.introduce(turn)
    return [turn.show(MENU, before=turn.t("language.switched"))]
