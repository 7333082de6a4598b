"""Which handler takes a turn, as a typed name with typed arguments.

The router returns a :class:`Route`; the registry in :mod:`bot.handlers` has one handler per
:class:`RouteName`. A route's arguments are a small frozen dataclass (a page to show, a flow's
answer), never a string for the handler to split again; :data:`ARGUMENTS` says which kind each
name takes, and a route is checked against it when it is made.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar


class RouteName(StrEnum):
    """Every kind of turn. The values are what the message log records."""

    WELCOME = "welcome"
    MENU = "menu"
    WAITING = "waiting"
    PAGE = "page"
    DID_YOU_MEAN = "did_you_mean"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    LANGUAGE = "language"
    UNSUBSCRIBE = "unsubscribe"
    UNSUBSCRIBE_ASK = "unsubscribe_ask"
    UNSUBSCRIBE_CANCELLED = "unsubscribe_cancelled"
    DELETE_DATA = "delete_data"
    DELETE_CONFIRMED = "delete_confirmed"
    DELETE_CANCELLED = "delete_cancelled"
    RISK_START = "risk_start"
    RISK_ANSWER = "risk_answer"
    RISK_ASK = "risk_ask"
    OUT_OF_RANGE = "out_of_range"
    MEDIA = "media"
    SOURCES = "sources"
    FALLBACK = "fallback"
    HANDOFF = "handoff"
    HANDOFF_ANSWER = "handoff_answer"
    HANDOFF_ASK = "handoff_ask"
    TO_STAFF = "to_staff"
    FEEDBACK = "feedback"
    OPPORTUNITIES = "opportunities"
    INTERESTED = "interested"
    REMIND = "remind"
    ALERTS_SUBSCRIBE = "alerts_subscribe"
    ALERTS_ANSWER = "alerts_answer"
    ALERTS_ASK = "alerts_ask"
    ALERTS_LIST = "alerts_list"
    ALERTS_REMOVE = "alerts_remove"
    PROFILE_ANSWER = "profile_answer"
    PROFILE_ASK = "profile_ask"


@dataclass(frozen=True)
class ShowPage:
    """A content page, by id; ``about`` (a topic page's id) when it is shown again for a
    follow-up, with a lead saying which topic it is about."""

    page_id: str
    about: str | None = None


@dataclass(frozen=True)
class DidYouMean:
    """Two topics about as likely as each other: the user picks."""

    first: str
    second: str


@dataclass(frozen=True)
class SwitchLanguage:
    """The locale asked for; None: the other one."""

    locale: str | None = None


@dataclass(frozen=True)
class TalkToPerson:
    """A page's "talk to a person" button: the topic the referral is about."""

    topic: str


@dataclass(frozen=True)
class Feedback:
    """The answer to "did this help?" (``yes`` or ``no``, as the button said)."""

    answer: str


@dataclass(frozen=True)
class FlowAnswer:
    """A value for the pending question ``step`` of ``flow``, already understood."""

    flow: str
    step: str
    value: str
    also: tuple[tuple[str, str], ...] = ()
    """Answers to other questions of the flow given in the same words, as (step, value):
    "jam prej hasi 17 vjeç" answers where and how old at once."""


@dataclass(frozen=True)
class AskAgain:
    """What came cannot answer the pending question: ask it again, after ``hint`` (a message
    id) when there is one."""

    flow: str
    step: str
    hint: str | None = None


@dataclass(frozen=True)
class FindOpportunities:
    """The open opportunities of a topic (``trainings``, ``jobs``, ``business``) for a
    municipality and a sector (None: any), the ``page``th few; ``page_id``: the content page
    shown when there are none (the one the question led to), the topic page if None."""

    topic: str
    municipality: str | None = None
    sector: str | None = None
    page: int = 0
    page_id: str | None = None

    def choice_id(self) -> str:
        """Its button: ``opp:list:<topic>:<municipality>:<sector>:<page>`` (empty for any)."""
        return ":".join((LIST_CHOICE + self.topic, self.municipality or "", self.sector or "",
                         str(self.page)))


@dataclass(frozen=True)
class Interested:
    """The "I'm interested" button of an opportunity, by its key (``opportunities.matching``)."""

    key: str

    def choice_id(self) -> str:
        return WANT_CHOICE + self.key


@dataclass(frozen=True)
class Remind:
    """The "remind me before the deadline" button of an opportunity, by its key."""

    key: str

    def choice_id(self) -> str:
        return REMIND_CHOICE + self.key


LIST_CHOICE = "opp:list:"
WANT_CHOICE = "opp:want:"
REMIND_CHOICE = "opp:remind:"
MAX_PAGE = 99
"""Pages further than this are no button the bot made."""


def opportunity_route(choice_id: str) -> "Route | None":
    """The route of an opportunities button; None for another button or a malformed one."""
    if choice_id.startswith(WANT_CHOICE) and len(choice_id) > len(WANT_CHOICE):
        return Route(RouteName.INTERESTED, Interested(choice_id.removeprefix(WANT_CHOICE)))
    if choice_id.startswith(REMIND_CHOICE) and len(choice_id) > len(REMIND_CHOICE):
        return Route(RouteName.REMIND, Remind(choice_id.removeprefix(REMIND_CHOICE)))
    parts = choice_id.removeprefix(LIST_CHOICE).split(":")
    if not choice_id.startswith(LIST_CHOICE) or len(parts) != 4:
        return None
    topic, municipality, sector, page = parts
    if not (topic and page.isdigit() and int(page) <= MAX_PAGE):
        return None
    return Route(RouteName.OPPORTUNITIES,
                 FindOpportunities(topic, municipality or None, sector or None, int(page)))


@dataclass(frozen=True)
class AlertFilter:
    """What a person asks to be alerted about: an opportunity kind, a sector, a municipality;
    "" for one not said."""

    kind: str = ""
    sector: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class RemoveAlert:
    """One of the person's subscriptions by its id; None: every one."""

    subscription: int | None


RouteArgs = (ShowPage | DidYouMean | SwitchLanguage | TalkToPerson | Feedback | FlowAnswer
             | AskAgain | FindOpportunities | Interested | Remind | AlertFilter | RemoveAlert)
A = TypeVar("A", ShowPage, DidYouMean, SwitchLanguage, TalkToPerson, Feedback, FlowAnswer,
            AskAgain, FindOpportunities, Interested, Remind, AlertFilter, RemoveAlert)

ARGUMENTS: dict[RouteName, tuple[type[RouteArgs], bool]] = {
    RouteName.WELCOME: (ShowPage, False),
    RouteName.PAGE: (ShowPage, True),
    RouteName.DID_YOU_MEAN: (DidYouMean, True),
    RouteName.LANGUAGE: (SwitchLanguage, False),
    RouteName.HANDOFF: (TalkToPerson, True),
    RouteName.FEEDBACK: (Feedback, True),
    RouteName.HANDOFF_ANSWER: (FlowAnswer, True),
    RouteName.RISK_ANSWER: (FlowAnswer, True),
    RouteName.HANDOFF_ASK: (AskAgain, True),
    RouteName.RISK_ASK: (AskAgain, True),
    RouteName.OPPORTUNITIES: (FindOpportunities, True),
    RouteName.INTERESTED: (Interested, True),
    RouteName.REMIND: (Remind, True),
    RouteName.ALERTS_SUBSCRIBE: (AlertFilter, True),
    RouteName.ALERTS_ANSWER: (FlowAnswer, True),
    RouteName.ALERTS_ASK: (AskAgain, True),
    RouteName.ALERTS_REMOVE: (RemoveAlert, True),
    RouteName.PROFILE_ANSWER: (FlowAnswer, True),
    RouteName.PROFILE_ASK: (AskAgain, True),
}
"""The kind of arguments a route name takes, and whether it must have them; names not listed
take none."""


@dataclass(frozen=True)
class Route:
    name: RouteName
    args: RouteArgs | None = None

    def __post_init__(self) -> None:
        kind, required = ARGUMENTS.get(self.name, (type(None), False))
        if self.args is None and not required:
            return
        if not isinstance(self.args, kind):
            raise TypeError(f"route {self.name} takes {kind.__name__}, not {self.args!r}")

    def arg(self, kind: type[A]) -> A:
        """The arguments, of the kind this route name takes."""
        if not isinstance(self.args, kind):
            raise TypeError(f"route {self.name} has no {kind.__name__}")
        return self.args

    def maybe(self, kind: type[A]) -> A | None:
        """The arguments if the route has them (a welcome with or without a page)."""
        return self.args if isinstance(self.args, kind) else None
