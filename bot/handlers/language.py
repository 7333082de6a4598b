"""Switching between Albanian and English; the conversation goes on in the new language."""

from bot.content import MENU
from bot.handlers import start
from bot.messages import Outbound
from bot.turn import Turn


async def switch(turn: Turn) -> list[Outbound]:
    assert turn.route.target is not None
    turn.user.locale = turn.route.target
    if turn.is_new_user:
        return await start.welcome(turn)
    return [turn.show(MENU, before=turn.t("language.switched"))]
