"""Every topic of the menu (trainings, jobs, business, migration, smuggling, urgent help, talking
to a person) and their sub-pages: the words live in content/, so one handler shows them all.
"""

from bot.content import MENU
from bot.handlers import handoff
from bot.messages import Choice, Outbound
from bot.routes import DidYouMean, ShowPage
from bot.turn import PAGE_CHOICE, Turn


async def show(turn: Turn) -> list[Outbound]:
    reply = turn.show(turn.route.arg(ShowPage).page_id)
    return [reply, *await handoff.after_danger(turn)]


async def did_you_mean(turn: Turn) -> list[Outbound]:
    """Two topics were about as likely: let the user pick rather than guess wrong."""
    asked = turn.route.arg(DidYouMean)
    first, second = asked.first, asked.second
    choices = tuple(
        Choice(PAGE_CHOICE + page_id, turn.page(page_id).title) for page_id in (first, second)
    ) + (Choice(PAGE_CHOICE + MENU, turn.page(MENU).title),)
    return [Outbound(turn.t("nlu.did_you_mean"), choices)]
