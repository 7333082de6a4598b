"""What every flow is made of: steps declared as data, the pending question, and the one way a
question is asked, asked again, answered and left.

A flow (the referral questions, the offer check, a yes/no confirmation) is a :class:`Flow`: its
steps in order, each with its question (a catalog message id), its options (values with label
message ids), how a typed answer fills it (interpreters, :mod:`bot.flows.interpret`) and when it
is asked at all. The flow also says which intents interrupt it (their page wins) and what
becomes of a message it cannot use: the question again, or the rest of the router.

The pending question is a :class:`Pending` stored as ``flow:step`` in
``ConversationState.pending``; :func:`pending_of` and :func:`set_pending` are the only code that
reads or writes that column. A flow's answers live in ``state.data[flow.name]``, written only
through its flow.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from bot.flows.interpret import Fill, Interpreter, Reading, Result, Retry
from bot.messages import Choice, Outbound
from bot.routes import AskAgain, FlowAnswer, Route, RouteName, ShowPage
from bot.storage.models import ConversationState
from bot.turn import Situation, Turn
from nlu.base import URGENT_INTENT

LEAVING_COMMANDS = ("start", "menu", "help", "stop", "delete")
"""Command words that leave even a question answered in one's own words."""


@dataclass(frozen=True)
class Pending:
    """The question waiting for an answer: ``step`` of ``flow``."""

    flow: str
    step: str

    def encode(self) -> str:
        return f"{self.flow}:{self.step}"

    @classmethod
    def decode(cls, stored: str | None) -> "Pending | None":
        flow, _, step = (stored or "").partition(":")
        return cls(flow, step) if flow and step else None


def pending_of(state: ConversationState) -> Pending | None:
    return Pending.decode(state.pending)


def set_pending(state: ConversationState, pending: Pending | None) -> None:
    state.pending = pending.encode() if pending else None


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    """The label's message id."""


@dataclass(frozen=True)
class Step:
    name: str
    question: str
    """The question's message id (a flow may read it from elsewhere, see ``Flow.render``)."""
    options: tuple[Option, ...] = ()
    fills: tuple[Interpreter, ...] = ()
    """How a typed answer fills it, besides a number or label of its options."""
    free_text: bool = False
    """Answered in the user's own words: commands and numbers are words too."""
    key: str = ""
    """Where the answer is kept (default: ``name``)."""
    only_if: tuple[str, str] | None = None
    """Asked only while the answer kept at ``only_if[0]`` is ``only_if[1]``; the phone number
    replaces the answer "by phone"."""
    skip_if: tuple[str, tuple[str, ...]] | None = None
    """Not asked while what is kept at ``skip_if[0]`` is one of ``skip_if[1]``."""
    always: bool = False
    """Asked even when an answer was given on entry (consent)."""
    gives_up: Mapping[str, str] = field(default_factory=dict)
    """Answers that end the flow, each with the message id that says so."""
    hint: str | None = None
    """Said before the question asked again; None: the flow's, "": none."""

    @property
    def kept_at(self) -> str:
        return self.key or self.name

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def needed(self, values: Mapping[str, Any]) -> bool:
        if self.skip_if is not None and values.get(self.skip_if[0]) in self.skip_if[1]:
            return False
        if self.only_if is not None:
            return values.get(self.only_if[0]) == self.only_if[1]
        return self.kept_at not in values


class Unknown(Enum):
    """What a flow does with a message it cannot use (no answer, no topic)."""

    ASK_AGAIN = "ask_again"
    LEAVE = "leave"


class OnTopic(Enum):
    """What a question about a topic does to a flow."""

    SHOW_PAGE = "show_page"
    """Leave it for that topic's page."""
    ROUTER = "router"
    """Leave it; the router decides as if nothing were pending."""


@dataclass(frozen=True)
class Flow:
    name: str
    """Also the key of its answers in ``state.data`` and the first half of its pending."""
    steps: tuple[Step, ...]
    choice_prefix: str
    """Its answer buttons are ``<prefix><step>:<option>``."""
    answer_route: RouteName
    ask_route: RouteName
    interrupts: tuple[str, ...] = (URGENT_INTENT,)
    """Intents whose page wins over any answer."""
    on_unknown: Unknown = Unknown.ASK_AGAIN
    on_topic: OnTopic = OnTopic.ROUTER
    hint: str = ""
    """Said before a question asked again (message id), unless the step says otherwise."""
    values_at: str | None = None
    """The answers sit in the form under this key; None: in the form itself."""

    # The declaration.

    def step(self, name: str) -> Step | None:
        return next((step for step in self.steps if step.name == name), None)

    def missing(self, values: Mapping[str, Any]) -> Step | None:
        """The first question still to ask."""
        return next((step for step in self.steps if step.needed(values)), None)

    # Its state: the form in ``state.data[name]``.

    def form(self, state: ConversationState) -> dict[str, Any] | None:
        form = state.data.get(self.name)
        return dict(form) if isinstance(form, dict) else None

    def values(self, state: ConversationState) -> dict[str, Any]:
        form = self.form(state) or {}
        if self.values_at is None:
            return form
        inner = form.get(self.values_at)
        return dict(inner) if isinstance(inner, dict) else {}

    def keep(self, state: ConversationState, key: str, value: object) -> dict[str, Any]:
        """Keep one answer (or a fact about the form); the answers as they are now. A new
        dict each time, so that the JSON column is seen to change."""
        form = self.form(state) or {}
        if self.values_at is None:
            form[key] = value
        else:
            form[self.values_at] = {**self.values(state), key: value}
        state.data = {**state.data, self.name: form}
        return self.values(state)

    def forget(self, state: ConversationState) -> None:
        state.data = {k: v for k, v in state.data.items() if k != self.name}

    # Asking.

    def start(self, turn: Turn, given: Mapping[str, Any] | None = None,
              before: str = "") -> Outbound:
        """Begin afresh with what is already known; ask the first question still missing
        (a step marked ``always`` is asked whatever was given)."""
        always = {step.kept_at for step in self.steps if step.always}
        fields = {step.kept_at for step in self.steps}
        given = {k: v for k, v in (given or {}).items() if k not in always}
        answers = {k: v for k, v in given.items() if k in fields}
        context = {k: v for k, v in given.items() if k not in fields}
        if self.values_at is None:
            form = {**context, **answers}
        else:
            form = {**context, self.values_at: answers}
        turn.state.data = {**turn.state.data, self.name: form}
        first = self.missing(self.values(turn.state))
        if first is None:
            raise ValueError(f"flow {self.name}: every answer given")
        return self.ask(turn, first, before=before)

    def advance(self, turn: Turn, step: Step, value: str) -> Outbound | None:
        """Keep the answer and ask the next question; None when none is left."""
        following = self.missing(self.keep(turn.state, step.kept_at, value))
        if following is None:
            return None
        return self.ask(turn, following, before=self.lead_in(turn, following))

    def ask(self, turn: Turn, step: Step, before: str = "") -> Outbound:
        set_pending(turn.state, Pending(self.name, step.name))
        text, choices = self.render(turn, step)
        return Outbound("\n\n".join(part for part in (before, text) if part), choices)

    def ask_again(self, turn: Turn, again: AskAgain) -> Outbound:
        step = self.step(again.step) or self.steps[0]
        return self.ask(turn, step, before=turn.t(again.hint) if again.hint else "")

    def render(self, turn: Turn, step: Step) -> tuple[str, tuple[Choice, ...]]:
        """The question and its answer buttons."""
        return turn.t(step.question), self.buttons(turn, step)

    def options(self, step: Step) -> tuple[Option, ...]:
        """The step's answers (a flow may add some known only when asked)."""
        return step.options

    def buttons(self, turn: Turn, step: Step) -> tuple[Choice, ...]:
        return tuple(Choice(self.choice_id(step, option.value), turn.t(option.label))
                     for option in self.options(step))

    def lead_in(self, turn: Turn, step: Step) -> str:
        """Said before a question reached by answering the one before it."""
        return ""

    # Its buttons.

    def choice_id(self, step: Step, option: str) -> str:
        return f"{self.choice_prefix}{step.name}:{option}"

    def decode(self, choice_id: str) -> tuple[str, str] | None:
        """The step and option of one of its answer buttons."""
        if not choice_id.startswith(self.choice_prefix):
            return None
        step, _, option = choice_id.removeprefix(self.choice_prefix).partition(":")
        return step, option

    def press(self, choice_id: str, pending: Pending | None) -> Route | None:
        """One of its buttons: the answer to the pending question; a button of another of its
        questions asks the pending one again; with none of its questions pending, the button is
        stale (None, like a button that is not its own)."""
        decoded = self.decode(choice_id)
        if decoded is None or pending is None or pending.flow != self.name:
            return None
        current = self.step(pending.step)
        if current is None:
            return None
        step, option = decoded
        if step == current.name and option in {o.value for o in self.options(current)}:
            return self.answered(current, option)
        return self.retry(current)

    # Reading a typed message while one of its questions is pending.

    async def interpret(self, situation: Situation, reading: Reading, step: Step) -> Route | None:
        """The route for a message typed while ``step`` waits; None: the message leaves the flow
        and the router goes on as if nothing were pending."""
        if reading.command is not None:
            if not step.free_text:
                filled = next((f for i in step.fills if (f := i.command(reading.command))), None)
                return self.answered(step, filled.value) if filled else None
            if reading.command in LEAVING_COMMANDS:
                return None
        if not step.free_text:
            if reading.picked() is not None:
                return None  # the router presses the choice it names
            if reading.number is not None or not reading.folded:
                number = reading.number
                results = [i.number(number) for i in step.fills] if number is not None else []
                return self._result(step, next((r for r in results if r), None))
        parse = await reading.parse()
        page = situation.content.page_for(parse.intent.name, parse.entity_values())
        short = next((r for i in step.fills if (r := i.short(reading))), None)
        if short is not None and parse.intent.name != URGENT_INTENT:
            return self._result(step, short)
        if parse.intent.name in self.interrupts and page is not None:
            return Route(RouteName.PAGE, ShowPage(page))
        result = next((r for i in step.fills if (r := i.text(reading, parse))), None)
        if result is None and page is not None:
            return Route(RouteName.PAGE, ShowPage(page)) if self.on_topic is OnTopic.SHOW_PAGE \
                else None
        return self._result(step, result)

    def _result(self, step: Step, result: Result) -> Route | None:
        if isinstance(result, Fill) and (step.free_text or result.value in step.values):
            return self.answered(step, result.value)
        if result is None and self.on_unknown is Unknown.LEAVE:
            return None
        return self.retry(step)

    def answered(self, step: Step, value: str) -> Route:
        return Route(self.answer_route, FlowAnswer(self.name, step.name, value))

    def retry(self, step: Step) -> Route:
        hint = self.hint if step.hint is None else step.hint
        return Route(self.ask_route, AskAgain(self.name, step.name, hint or None))


__all__ = ["Fill", "Flow", "OnTopic", "Option", "Pending", "Reading", "Retry", "Step", "Unknown",
           "pending_of", "set_pending"]
