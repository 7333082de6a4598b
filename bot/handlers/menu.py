"""The main menu: every topic, plus the other language."""

from bot.content import MENU
from bot.messages import Outbound
from bot.turn import Turn


async def show(turn: Turn) -> list[Outbound]:
    return [turn.show(MENU)]
