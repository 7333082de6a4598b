"""Every topic of the menu (trainings, jobs, business, migration, smuggling, urgent help, talking
to a person) and their sub-pages: the words live in content/, so one handler shows them all.
"""

from dataclasses import replace

from bot.content import MENU
from bot.handlers import directory, handoff, opportunities, profile
from bot.messages import Choice, Outbound
from bot.routes import DidYouMean, ShowPage
from bot.turn import PAGE_CHOICE, Turn


async def show(turn: Turn) -> list[Outbound]:
    """The page (with the directory's nearest entries in its slot); for a follow-up about the
    topic shown last, after a lead naming it. A first helpful page may bring the optional profile
    question after it (:mod:`bot.handlers.profile`)."""
    shown = turn.route.arg(ShowPage)
    lead = turn.t("followup.about", topic=turn.page(shown.about).title) if shown.about else ""
    reply = await directory.show(turn, shown.page_id, before=lead)
    if (current := await opportunities.current_choice(turn, shown.page_id)) is not None:
        reply = replace(reply, choices=(current, *reply.choices))
    return [reply, *await handoff.after_danger(turn), *await profile.after_helpful_answer(turn)]


async def sources(turn: Turn) -> list[Outbound]:
    """Where the facts of the page shown last come from (the words "burimet" / "sources"), with
    the way back to that page."""
    page_id = turn.state.page
    if page_id is None or not turn.content.has_page(page_id) or not turn.page(page_id).sources:
        return [turn.show(MENU, before=turn.t("sources.none"))]
    page = turn.page(page_id)
    lines = [turn.t("sources.header", title=page.title)]
    lines += [f"• {source.title}: {source.url}" for source in page.sources]
    back = (Choice(PAGE_CHOICE + page_id, page.title), Choice(PAGE_CHOICE + MENU,
                                                              turn.page(MENU).title))
    return [Outbound("\n".join(lines), back)]


async def did_you_mean(turn: Turn) -> list[Outbound]:
    """Two topics were about as likely: let the user pick rather than guess wrong."""
    asked = turn.route.arg(DidYouMean)
    first, second = asked.first, asked.second
    choices = tuple(
        Choice(PAGE_CHOICE + page_id, turn.page(page_id).title) for page_id in (first, second)
    ) + (Choice(PAGE_CHOICE + MENU, turn.page(MENU).title),)
    return [Outbound(turn.t("nlu.did_you_mean"), choices)]
