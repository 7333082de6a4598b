"""The optional, anonymous profile question, as data: where they are from, their age band and
their gender, for the programme's statistics (who the bot reaches), asked once per person after
a first helpful answer (:mod:`bot.handlers.profile` says when).

Every step can be skipped ("Kalo", or "jo" in words), and the first says no to the whole thing
in one tap ("jo" in words does too). The values are the ones a referral keeps: the NLU's
municipality values (``nlu/gazetteers.yml``) and "other", the referral's age bands
(:data:`bot.flows.interpret.AGE_BANDS`) and its gender answers (:data:`bot.flows.handoff.FLOW`).
Typed, a place in Gheg without diacritics ("prej hasi", "tropoj") is read by the NLU's entities
and an age ("17", "jam 17 vjeç") becomes its band; one message may answer several steps ("jam
prej hasi 17 vjeç"). Anything else typed (a question, a cry for help, a command) is not an
answer: the question lapses and the message is read as if it had not been asked.

Answer buttons are ``pr:<step>:<option>``; the answers so far are ``state.data["profile"]``
(a step skipped keeps ``skip``), each also kept in the person's profile row at once.
"""

from functools import cache

from bot.flows.base import Flow, Option, Step
from bot.flows.handoff import AGE_LABELS
from bot.flows.handoff import FLOW as HANDOFF
from bot.flows.interpret import (
    AGE_BANDS,
    NO,
    YES,
    AgeBand,
    EntityValue,
    Fill,
    Reading,
    Retry,
    age_band,
)
from bot.i18n import N_
from bot.routes import FlowAnswer, Route, RouteName
from bot.turn import Situation
from nlu.base import SAFETY_INTENTS
from nlu.entities import entity_values

NAME = "profile"
SKIP = "skip"
"""A step left unanswered."""
DECLINE = "decline"
"""No to the whole question."""
OTHER = "other"
MUNICIPALITY_LABEL = "handoff.municipality.{}"
"""The label of each municipality value: the referral questions' own."""

_SKIP = Option(SKIP, N_("profile.skip"))
GENDER_LABELS = {"female": N_("profile.gender.female"), "male": N_("profile.gender.male"),
                 "other": N_("handoff.option.other"), "unsaid": N_("handoff.gender.unsaid")}
"""The labels of the referral's gender answers, said the way a friend asks."""
_GENDER = HANDOFF.step("gender")
assert _GENDER is not None


@cache
def municipalities() -> tuple[str, ...]:
    """The NLU contract's municipality values, read once when first needed."""
    return entity_values("municipality")


class ProfileFlow(Flow):
    def options(self, step: Step) -> tuple[Option, ...]:
        """The step's answers; the municipalities come first in the first step."""
        if step.name != "municipality":
            return step.options
        places = tuple(Option(value, MUNICIPALITY_LABEL.format(value))
                       for value in municipalities())
        return places + step.options

    async def interpret(self, situation: Situation, reading: Reading, step: Step) -> Route | None:
        """An answer typed; None for anything else (the router reads it as if nothing were
        asked)."""
        if reading.command == YES:
            return self.retry(step)  # "po": then which one?
        if reading.command == NO:  # "jo" to the whole question, then "not this one"
            return self.answered(step, DECLINE if step is self.steps[0] else SKIP)
        if reading.command is not None:
            return None
        if reading.picked() is not None:
            return None  # the router presses the choice it names
        values = self.values(situation.state)
        age = self.step("age")
        assert age is not None
        if reading.number is not None:
            band = age_band(reading.number)
            if band is not None and age.needed(values):
                return self.answered(age, band)
            return self.retry(step) if step is age else None
        if not reading.folded:
            return None
        parse = await reading.parse()
        if parse.intent.name in SAFETY_INTENTS or situation.content.page_for(
                parse.intent.name, parse.entity_values()) is not None:
            return None  # a question about a topic (or danger): answered as ever
        found: list[tuple[str, str]] = []
        for wanted in self.steps:
            if not wanted.needed(values):
                continue
            read = next((r for i in wanted.fills if (r := i.text(reading, parse))), None)
            if isinstance(read, Fill) and read.value in {o.value for o in self.options(wanted)}:
                found.append((wanted.name, read.value))
            elif isinstance(read, Retry) and wanted is step:
                return self.retry(step)
        if not found:
            return None
        (first, value), *more = found
        return Route(self.answer_route, FlowAnswer(self.name, first, value, tuple(more)))


FLOW = ProfileFlow(
    name=NAME,
    choice_prefix="pr:",
    answer_route=RouteName.PROFILE_ANSWER,
    ask_route=RouteName.PROFILE_ASK,
    interrupts=SAFETY_INTENTS,
    hint=N_("profile.pick_one"),
    steps=(
        Step("municipality", N_("profile.municipality.ask"),
             options=(Option(OTHER, N_("handoff.option.other")), _SKIP,
                      Option(DECLINE, N_("profile.decline"))),
             fills=(EntityValue("municipality"),)),
        Step("age", N_("profile.age.ask"),
             options=(*(Option(band, AGE_LABELS[band]) for band, _oldest in AGE_BANDS), _SKIP),
             fills=(AgeBand(),), hint=N_("profile.age.again")),
        Step("gender", N_("profile.gender.ask"),
             options=(*(Option(o.value, GENDER_LABELS[o.value]) for o in _GENDER.options),
                      _SKIP)),
    ),
)


__all__ = ["DECLINE", "FLOW", "MUNICIPALITY_LABEL", "NAME", "SKIP", "municipalities"]
