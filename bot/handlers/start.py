"""First contact: who the bot is, what it keeps, and the menu (with the language switch)."""

from bot.content import MENU
from bot.messages import Outbound
from bot.turn import Turn


async def welcome(turn: Turn) -> list[Outbound]:
    intro = "\n\n".join((turn.t("welcome.text"), turn.t("privacy.notice")))
    return [turn.show(MENU, before=intro)]
