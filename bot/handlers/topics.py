"""Every topic of the menu (trainings, jobs, business, migration, smuggling, urgent help, talking
to a person) and their sub-pages: the words live in content/, so one handler shows them all.
"""

from bot.messages import Outbound
from bot.turn import Turn


async def show(turn: Turn) -> list[Outbound]:
    assert turn.route.target is not None
    return [turn.show(turn.route.target)]
