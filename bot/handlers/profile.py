"""The optional, anonymous profile question (:mod:`bot.flows.profile`): when it is asked, and
what its answers lead to.

**When**: once per person, when they say thanks or goodbye right after a helpful answer (the
last page shown was one of :data:`HELPFUL_TOPICS`, or that topic's list of open opportunities):
a moment when nothing else is asked of them. Asked right after the page itself, its buttons
would take the numbers a WhatsApp user types to pick from the page ("2" would answer the
question instead of opening the page's second choice). Never while another flow is under way
(a question waits, or another flow's answers are kept), while a person has the conversation,
for a message the NLU read as danger, or while they have a referral open (an urgent or
high-priority case included). A profile row is written when it is asked, so it is never asked
again, whatever comes of it: answered, declined, or left for another topic.

**Kept**: each answer at once, in the profile row (bands only); declining keeps nothing.
"""

from bot import flows
from bot.content import MENU
from bot.flows.profile import DECLINE, FLOW, SKIP
from bot.messages import Choice, Outbound
from bot.routes import AskAgain, FlowAnswer
from bot.staff import WITH_STAFF
from bot.storage.repositories.profiles import ANSWERED, ASKED, DECLINED, ProfileRepository
from bot.turn import PAGE_CHOICE, Turn
from nlu.base import SAFETY_INTENTS
from referrals.queue import ReferralQueue

HELPFUL_TOPICS = ("trainings", "jobs", "business", "migration")
"""Topics whose pages answer a question about a next step (not danger, not the menu)."""


async def after_helpful_answer(turn: Turn) -> list[Outbound]:
    """The profile question, when the page shown last was a helpful answer and nothing stands in
    the way; nothing otherwise."""
    if not turn.profile_question or not _calm(turn):
        return []
    if (turn.state.page or "").split(".")[0] not in HELPFUL_TOPICS:
        return []
    if await turn.uow.profiles.of_user(turn.user.id) is not None:
        return []  # asked once already
    if await ReferralQueue(turn.uow.referrals).open_for_user(turn.user.id) is not None:
        return []
    await turn.uow.profiles.asked(turn.user.id, turn.now)
    return [flows.start(turn, FLOW.name)]


def _calm(turn: Turn) -> bool:
    """No other flow under way, no person on the conversation, no danger in the message."""
    if turn.state.pending is not None or WITH_STAFF in turn.state.data:
        return False
    if any(name in turn.state.data for name in flows.FLOWS if name != FLOW.name):
        return False
    return turn.parse is None or turn.parse.intent.name not in SAFETY_INTENTS


async def answer(turn: Turn) -> list[Outbound]:
    """One answer or more (typed in one message), or no to the whole question."""
    given = turn.route.arg(FlowAnswer)
    profile = await turn.uow.profiles.of_user(turn.user.id)
    if FLOW.form(turn.state) is None or profile is None or profile.status != ASKED:
        return [turn.show(MENU)]  # a button of a question no longer asked
    if given.value == DECLINE:
        FLOW.forget(turn.state)
        profile.status = DECLINED
        profile.municipality = profile.age_band = profile.gender = None
        return [Outbound(turn.t("profile.declined"), _onward(turn))]
    values = FLOW.values(turn.state)
    for step, value in ((given.step, given.value), *given.also):
        if FLOW.step(step) is None:
            continue
        values = FLOW.keep(turn.state, step, value)
        if value != SKIP:
            ProfileRepository.keep(profile, step, value)
    following = FLOW.missing(values)
    if following is not None:
        return [FLOW.ask(turn, following)]
    FLOW.forget(turn.state)
    profile.status = ANSWERED
    return [Outbound(turn.t("profile.thanks"), _onward(turn))]


async def ask_again(turn: Turn) -> list[Outbound]:
    if FLOW.form(turn.state) is None:
        return [turn.show(MENU)]
    return [flows.ask_again(turn, turn.route.arg(AskAgain))]


def _onward(turn: Turn) -> tuple[Choice, ...]:
    """Back to the page they were reading, and the menu."""
    back = []
    page = turn.state.page
    if page and page != MENU and turn.content.has_page(page):
        back.append(Choice(PAGE_CHOICE + page, turn.page(page).title))
    return (*back, Choice(PAGE_CHOICE + MENU, turn.page(MENU).title))
