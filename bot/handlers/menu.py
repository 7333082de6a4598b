"""The main menu: every topic, plus the other language."""

from bot.content import MENU
from bot.messages import Outbound
from bot.turn import Turn


async def show(turn: Turn) -> list[Outbound]:
    return [turn.show(MENU)]


async def waiting_delivered(turn: Turn) -> list[Outbound]:
    """The "an answer is waiting" button: the waiting replies are the answer (they go out first,
    released by this very message); if it is pressed again with nothing waiting, the menu."""
    return [] if turn.released else [turn.show(MENU)]
