"""Thanks and goodbyes: a short warm answer, and the way back stays open."""

from bot.messages import Outbound
from bot.turn import Turn


async def thanks(turn: Turn) -> list[Outbound]:
    return [Outbound(turn.t("thanks.text"))]


async def goodbye(turn: Turn) -> list[Outbound]:
    return [Outbound(turn.t("goodbye.text"))]
