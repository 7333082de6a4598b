"""The "is this offer safe?" check: the intro, then the questions one per message (declared in
:mod:`bot.flows.risk_check`), then advice for the risk the answers add up to. A high risk ends
with the offer of a person (a referral), through the handoff handler. An answer that shows the
danger is happening already (the passport taken) stops the check at once: the urgent page
first, and an urgent referral to staff, as a danger message gets.
"""

from bot import flows
from bot.content import MENU
from bot.flows.risk_check import DANGER_NOW, FLOW, HIGH, NAME, RISK_PAGE, score
from bot.handlers import handoff
from bot.messages import Outbound
from bot.routes import AskAgain, FlowAnswer
from bot.turn import Turn
from nlu.base import URGENT_INTENT

HANDOFF_TOPIC = "smuggling"
HANDOFF_PRIORITY = "high"


async def start(turn: Turn) -> list[Outbound]:
    """The intro and the first question; starting again forgets earlier answers."""
    intro = turn.page(RISK_PAGE).text.strip()
    return [flows.start(turn, NAME, before=intro)]


async def answer(turn: Turn) -> list[Outbound]:
    """Record a yes or no; then the next question, or the result when none is left."""
    given = turn.route.arg(FlowAnswer)
    step = FLOW.step(given.step)
    if step is None:
        return await start(turn)
    if given.value in DANGER_NOW:
        return await _danger_now(turn, {**FLOW.values(turn.state), step.name: given.value})
    following = FLOW.advance(turn, step, given.value)
    if following is not None:
        return [following]
    answers = FLOW.values(turn.state)
    FLOW.forget(turn.state)
    level = score(answers)
    advice = turn.show(f"{RISK_PAGE}.{level}")
    if level != HIGH:
        return [advice]
    return await _offer_a_person(turn, advice, {**answers, NAME: HIGH})


async def ask_again(turn: Turn) -> list[Outbound]:
    """Something that is not an answer came while a question waited: the same question again."""
    return [flows.ask_again(turn, turn.route.arg(AskAgain))]


async def _offer_a_person(
    turn: Turn, advice: Outbound, answers: dict[str, str]
) -> list[Outbound]:
    """The high-risk advice, then the handoff's consent question (which carries the choices);
    with no staff to offer, the advice with its own choices."""
    offer = await handoff.offer(turn, topic=HANDOFF_TOPIC, priority=HANDOFF_PRIORITY,
                                 answers=answers)
    return [Outbound(advice.text), *offer] if offer else [advice]


async def _danger_now(turn: Turn, answers: dict[str, str]) -> list[Outbound]:
    """No more questions: the emergency numbers, then (when staff were alerted) that someone
    will write; the answers so far go with the urgent referral."""
    FLOW.forget(turn.state)
    urgent = turn.show(turn.content.page_for(URGENT_INTENT, {}) or MENU)
    alerted = await handoff.alert_danger(turn, answers={**answers, NAME: score(answers)})
    return [urgent, Outbound(turn.t("handoff.urgent_alerted"))] if alerted else [urgent]
