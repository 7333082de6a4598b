"""The "is this offer safe?" check, as data: five yes/no questions on the warning signs of a
fake job offer or a smuggling offer, one per message, and the rule that scores them.

The words (the intro, each question, the advice per level) are the ``risk_check`` pages in
content/; content/*/risk_check.yml documents the scoring rule too. Yes and no in any form (a
button, a command word, a number, a typed label, an affirm/deny the NLU is sure of) answer a
question; what cannot be an answer asks it again; commands such as "menu" and other topics
leave the check. The passport question has a third answer, "they already have it" (also typed:
"ma kanë marrë pasaportën"): danger already happening, so the check stops there for the urgent
page. Buttons are ``risk:<question>:yes|no|taken`` and ``risk:start``; the answers so far are
``state.data["risk"]["answers"]``.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.content import MENU
from bot.flows.base import Flow, Option, Pending, Step
from bot.flows.interpret import NO, YES, Fill, Interpreter, Reading, Result, YesNo
from bot.i18n import N_
from bot.messages import Choice
from bot.routes import Route, RouteName
from bot.storage.models import ConversationState
from bot.turn import PAGE_CHOICE, Turn
from nlu.base import SAFETY_INTENTS, Parse

NAME = "risk"
RISK_PAGE = "risk_check"
"""The offer check's pages (the intro, its questions, its results); pressing any starts it."""
START_CHOICE = "risk:start"
QUESTIONS = ("fee", "contract", "passport", "travel_paid", "no_papers")
"""In the order asked; each is the page ``risk_check.<question>``. A yes is a warning sign."""
SERIOUS = ("passport", "no_papers")
"""One yes to any of these alone makes the risk high."""
HIGH_COUNT = 3
"""This many yeses or more make the risk high."""
PASSPORT = "passport"
TAKEN = "taken"
"""The passport question's third answer: someone has the passport or documents already."""
DANGER_NOW = (TAKEN,)
"""Answers that show the danger is happening already: no more questions, the urgent page and
an urgent referral instead."""
_CLITIC = r"(?:m[aei]|ia|ua|e|i|t[ae])\s+"
_TAKEN = re.compile(
    rf"\b(?:{_CLITIC})?(?:kane|kan|ka)\s+marr?e?\b"
    rf"|\b{_CLITIC}(?:mor(?:en|i)|(?:kane|kan|ka|mbajne|mban)\s+(?:ata|ai|ajo|tashme))\b"
    r"|\b(?:they|someone|he|she)\s+(?:already\s+)?(?:have|has|took|kept|got)\b"
    r"|\balready\s+(?:have|has|took|taken)\b"
)
_NOT = re.compile(r"\b(?:nuk|s|not|never|(?:haven|hasn|didn|don)\st)\b")
"""A taking already done, in folded words ("ma kane marre", "e moren", "i kane ata", "they
already have it"), and not denied ("nuk ma kane marre"); one still to come ("do ta marrin") is
not one."""
LOW, MEDIUM, HIGH = "low", "medium", "high"
ANSWER_CONFIDENCE = 0.9
"""Free text answers a question only when the NLU is this sure it is a yes or a no ("nuk e di",
I don't know, must not count as a no): otherwise the question is asked again."""


def score(answers: Mapping[str, str]) -> str:
    """High if the passport is kept or the crossing is without papers, or 3+ signs; medium for
    1–2 signs; low for none."""
    signs = [question for question, answer in answers.items() if answer in (YES, TAKEN)]
    if any(question in SERIOUS for question in signs) or len(signs) >= HIGH_COUNT:
        return HIGH
    return MEDIUM if signs else LOW


@dataclass(frozen=True)
class AlreadyTaken(Interpreter):
    """The passport (or the documents) taken already, in the words typed."""

    def text(self, reading: Reading, parse: Parse) -> Result:
        said = reading.folded
        return Fill(TAKEN) if _TAKEN.search(said) and not _NOT.search(said) else None


class RiskFlow(Flow):
    def press(self, choice_id: str, pending: Pending | None) -> Route | None:
        """Also the buttons that start it: ``risk:start`` and any of its pages."""
        page = choice_id.removeprefix(PAGE_CHOICE) if choice_id.startswith(PAGE_CHOICE) else None
        if choice_id == START_CHOICE or page == RISK_PAGE or (
            page is not None and page.startswith(RISK_PAGE + ".")
        ):
            return Route(RouteName.RISK_START)
        return super().press(choice_id, pending)

    def values(self, state: ConversationState) -> dict[str, Any]:
        return {q: a for q, a in super().values(state).items()
                if q in QUESTIONS and a in (YES, NO, TAKEN)}

    def render(self, turn: Turn, step: Step) -> tuple[str, tuple[Choice, ...]]:
        """The question's page with its number; yes, no, and the way back to the menu."""
        turn.state.page = RISK_PAGE
        progress = turn.t("risk.progress", number=QUESTIONS.index(step.name) + 1,
                          total=len(QUESTIONS))
        text = turn.page(step.question).text.strip()
        menu = Choice(PAGE_CHOICE + MENU, turn.page(MENU).title)
        return f"{progress}\n{text}", (*self.buttons(turn, step), menu)


def _question(question: str) -> Step:
    """A yes/no question; the passport one also takes "they already have it". Its words are
    a content page, not a catalog message."""
    options: tuple[Option, ...] = (Option(YES, N_("risk.yes")), Option(NO, N_("risk.no")))
    fills: tuple[Interpreter, ...] = (YesNo(min_confidence=ANSWER_CONFIDENCE),)
    if question == PASSPORT:
        options, fills = (*options, Option(TAKEN, N_("risk.taken"))), (AlreadyTaken(), *fills)
    return Step(question, f"{RISK_PAGE}.{question}", options=options, fills=fills)


FLOW = RiskFlow(
    name=NAME,
    choice_prefix="risk:",
    answer_route=RouteName.RISK_ANSWER,
    ask_route=RouteName.RISK_ASK,
    interrupts=SAFETY_INTENTS,
    hint=N_("risk.hint"),
    values_at="answers",
    steps=tuple(_question(question) for question in QUESTIONS),
)
