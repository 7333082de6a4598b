"""The "is this offer safe?" check: five yes/no questions on the warning signs of a fake job
offer or a smuggling offer, one per message, then advice for the risk they add up to.

The words (the intro, each question, the advice per level) are the ``risk_check`` pages in
content/; this module holds the order of the questions and the scoring rule, which
content/*/risk_check.yml documents too. Between questions the answers live in
``state.data["risk"]`` and the question waiting for an answer in ``state.pending``
(``risk:<question>``), which routing answers before it asks the NLU. A high risk ends with the
offer of a person (a referral), through the handoff handler.
"""

from collections.abc import Mapping

from bot.content import MENU
from bot.handlers import handoff
from bot.i18n import N_
from bot.messages import Choice, Outbound
from bot.routing import RISK_PAGE, RISK_PREFIX
from bot.turn import PAGE_CHOICE, Turn

QUESTIONS = ("fee", "contract", "passport", "travel_paid", "no_papers")
"""In the order asked; each is the page ``risk_check.<question>``. A yes is a warning sign."""
SERIOUS = ("passport", "no_papers")
"""One yes to any of these alone makes the risk high."""
HIGH_COUNT = 3
"""This many yeses or more make the risk high."""
LOW, MEDIUM, HIGH = "low", "medium", "high"
YES, NO = "yes", "no"
STATE_KEY = "risk"
HANDOFF_TOPIC = "smuggling"
HANDOFF_PRIORITY = "high"
ANSWER_LABELS = {YES: N_("risk.yes"), NO: N_("risk.no")}


def score(answers: Mapping[str, str]) -> str:
    """High if the passport is kept or the crossing is without papers, or 3+ signs; medium for
    1–2 signs; low for none."""
    signs = [question for question, answer in answers.items() if answer == YES]
    if any(question in SERIOUS for question in signs) or len(signs) >= HIGH_COUNT:
        return HIGH
    return MEDIUM if signs else LOW


async def start(turn: Turn) -> list[Outbound]:
    """The intro and the first question; starting again forgets earlier answers."""
    _remember(turn, {})
    intro = turn.page(RISK_PAGE).text.strip()
    return [_question(turn, QUESTIONS[0], before=intro)]


async def answer(turn: Turn) -> list[Outbound]:
    """Record a yes or no; then the next question, or the result when none is left."""
    assert turn.route.target is not None
    question, _, reply = turn.route.target.partition(":")
    if question not in QUESTIONS or reply not in (YES, NO):
        return await start(turn)
    answers = {**_answers(turn), question: reply}
    remaining = [q for q in QUESTIONS if q not in answers]
    if remaining:
        _remember(turn, answers)
        return [_question(turn, remaining[0])]
    _forget(turn)
    level = score(answers)
    advice = turn.show(f"{RISK_PAGE}.{level}")
    if level != HIGH:
        return [advice]
    return await _offer_a_person(turn, advice, {**answers, STATE_KEY: HIGH})


async def ask_again(turn: Turn) -> list[Outbound]:
    """Something that is not an answer came while a question waited: the same question again."""
    question = turn.route.target
    if question not in QUESTIONS:
        return await start(turn)
    return [_question(turn, question, before=turn.t("risk.hint"))]


def _question(turn: Turn, question: str, *, before: str = "") -> Outbound:
    turn.state.pending = RISK_PREFIX + question
    turn.state.page = RISK_PAGE
    t = turn.t
    progress = t("risk.progress", number=QUESTIONS.index(question) + 1, total=len(QUESTIONS))
    text = turn.page(f"{RISK_PAGE}.{question}").text.strip()
    choices = tuple(
        Choice(f"{RISK_PREFIX}{question}:{value}", t(key)) for value, key in ANSWER_LABELS.items()
    ) + (Choice(PAGE_CHOICE + MENU, turn.page(MENU).title),)
    return Outbound("\n\n".join(p for p in (before, f"{progress}\n{text}") if p), choices)


async def _offer_a_person(
    turn: Turn, advice: Outbound, answers: dict[str, str]
) -> list[Outbound]:
    """The high-risk advice, then the handoff's consent question (which carries the choices);
    with no staff to offer, the advice with its own choices."""
    offer = await handoff.offer(turn, topic=HANDOFF_TOPIC, priority=HANDOFF_PRIORITY,
                                 answers=answers)
    return [Outbound(advice.text), *offer] if offer else [advice]


def _answers(turn: Turn) -> dict[str, str]:
    stored = turn.state.data.get(STATE_KEY)
    answers = stored.get("answers") if isinstance(stored, dict) else None
    if not isinstance(answers, dict):
        return {}
    return {q: a for q, a in answers.items() if q in QUESTIONS and a in (YES, NO)}


def _remember(turn: Turn, answers: dict[str, str]) -> None:
    """A new dict, not an edit in place, so that the JSON column is seen to change."""
    turn.state.data = {**turn.state.data, STATE_KEY: {"answers": answers}}


def _forget(turn: Turn) -> None:
    turn.state.data = {k: v for k, v in turn.state.data.items() if k != STATE_KEY}
