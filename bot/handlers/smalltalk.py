"""Thanks and goodbyes: a short warm answer, and the way back stays open. Said after a helpful
page, they may bring the optional profile question once (:mod:`bot.handlers.profile`)."""

from bot.handlers import profile
from bot.messages import Outbound
from bot.turn import Turn


async def thanks(turn: Turn) -> list[Outbound]:
    return [Outbound(turn.t("thanks.text")), *await profile.after_helpful_answer(turn)]


async def goodbye(turn: Turn) -> list[Outbound]:
    return [Outbound(turn.t("goodbye.text")), *await profile.after_helpful_answer(turn)]
