"""What the bot says when it cannot use a message: never an error, always a way on."""

from bot.content import MENU
from bot.messages import Outbound
from bot.turn import Turn


async def not_understood(turn: Turn) -> list[Outbound]:
    return [turn.show(MENU, before=turn.t("fallback.text"))]


async def media(turn: Turn) -> list[Outbound]:
    return [turn.show(MENU, before=turn.t("media.unsupported"))]


async def out_of_range(turn: Turn) -> list[Outbound]:
    offered = turn.offered()
    return [Outbound(turn.t("choice.out_of_range", count=len(offered)), offered)]
