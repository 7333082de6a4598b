"""Every topic of the menu (trainings, jobs, business, migration, smuggling, urgent help, talking
to a person) and their sub-pages: the words live in content/, so one handler shows them all.
"""

from bot.content import MENU
from bot.handlers import handoff
from bot.messages import Choice, Outbound
from bot.routes import DidYouMean, ShowPage
from bot.turn import PAGE_CHOICE, Turn


async def show(turn: Turn) -> list[Outbound]:
    """The page; for a follow-up about the topic shown last, after a lead naming it."""
    shown = turn.route.arg(ShowPage)
    lead = turn.t("followup.about", topic=turn.page(shown.about).title) if shown.about else ""
    reply = turn.show(shown.page_id, before=lead)
    return [reply, *await handoff.after_danger(turn)]


async def did_you_mean(turn: Turn) -> list[Outbound]:
    """Two topics were about as likely: let the user pick rather than guess wrong."""
    asked = turn.route.arg(DidYouMean)
    first, second = asked.first, asked.second
    choices = tuple(
        Choice(PAGE_CHOICE + page_id, turn.page(page_id).title) for page_id in (first, second)
    ) + (Choice(PAGE_CHOICE + MENU, turn.page(MENU).title),)
    return [Outbound(turn.t("nlu.did_you_mean"), choices)]
