"""Opting in to alerts of new opportunities, as data: a kind, a municipality and, when the
message names one, a sector. "më njofto për kurse të reja në Has" says all it needs and
subscribes at once; "më njofto për punë" is asked only where.

Buttons (any module may offer them; the opportunities list does, with what it shows):

- ``alerts:sub:<kind>:<sector>:<municipality>``: subscribe; each part may be empty ("any"),
  e.g. ``alerts:sub:job:hospitality:tropoje`` or ``alerts:sub:training::has``. A part that is
  not a known value is read as empty; with no kind or no municipality, that question is asked;
- ``alerts:list``: the person's subscriptions, each with a button to remove it;
- ``alerts:remove:<id>`` and ``alerts:remove:all``.

The flow's own answer buttons are ``al:<step>:<option>``; its answers wait in
``state.data["alerts"]`` until the last one is given.
"""

import re

from bot.flows.base import Flow, Option, Pending, Step
from bot.flows.interpret import EntityValue, Fill, Interpreter, Reading, Result
from bot.i18n import N_
from bot.routes import AlertFilter, RemoveAlert, Route, RouteName
from nlu.base import Parse
from opportunities.alert_message import LIST_CHOICE

NAME = "alerts"
ANY = "any"
"""The answer "any kind" / "anywhere"."""
SUBSCRIBE_CHOICE = "alerts:sub:"
REMOVE_CHOICE = "alerts:remove:"
KINDS = ("training", "job", "internship", "grant")
MUNICIPALITIES = ("kukes", "has", "tropoje")
SECTORS = ("ict", "tourism", "agriculture", "medicinal_plants", "agro_processing",
           "construction", "hospitality", "crafts", "languages", "care")
"""The NLU contract's values (``nlu/gazetteers.yml``)."""

ASK_WORDS = (r"njof\w*", r"lajm[e]?ro\w*", r"lajmrom\w*", "notify", "alert me",
             r"alerts? (for|about|on)", "subscribe", r"abono\w*", "let me know",
             "tell me when", "keep me posted", r"(dergo|dergom|dergoni|con|conmi)\w* njoftim\w*")
ASKS = re.compile(r"\b(" + "|".join(ASK_WORDS) + r")\b")
"""Words that ask to be told (folded): "më njofto", "njoftom", "me njof", "më lajmëro",
"notify me", "subscribe" … The notices themselves ("njoftime pune", job ads) are a question
about the topic, not a wish to be told: ``njoftim*`` is not a request."""
NOTICES = re.compile(r"^njoftim")
KIND_WORDS = (
    ("training", re.compile(r"^(kurs|trajnim|trainim|training|course|kualifikim|formim)")),
    ("internship", re.compile(r"^(praktik|stazh|internship)")),
    ("grant", re.compile(r"^(grant|financim|fond|subvencion)")),
    ("job", re.compile(r"^(pun|job|vend|vende|work|lavor|employment)")),
)
"""The first word stem that names a kind wins ("kurse", "punë", "praktikë", "grante")."""
_WORD = re.compile(r"\w+")


def kind_in(folded: str) -> str:
    for word in _WORD.findall(folded):
        for kind, stem in KIND_WORDS:
            if stem.match(word):
                return kind
    return ""


def asks_for_alerts(folded: str) -> bool:
    found = ASKS.search(folded)
    return found is not None and not NOTICES.match(found.group(0))


def wanted(folded: str, parse: Parse) -> AlertFilter | None:
    """The alerts a message asks for, or None when it asks for none."""
    if not asks_for_alerts(folded):
        return None
    entities = parse.entity_values()
    return AlertFilter(kind_in(folded), _first(entities.get("sector")),
                       _first(entities.get("municipality")))


def _first(values: list[str] | None) -> str:
    return values[0] if values else ""


class KindWords(Interpreter):
    """A kind in words ("punë", "kurse"), as the answer to "what about?"."""

    def text(self, reading: Reading, parse: Parse) -> Result:
        kind = kind_in(reading.folded)
        return Fill(kind) if kind else None


def decode_subscribe(choice_id: str) -> AlertFilter:
    kind, _, rest = choice_id.removeprefix(SUBSCRIBE_CHOICE).partition(":")
    sector, _, municipality = rest.partition(":")
    return AlertFilter(kind if kind in KINDS else "", sector if sector in SECTORS else "",
                       municipality if municipality in MUNICIPALITIES else "")


class AlertsFlow(Flow):
    def press(self, choice_id: str, pending: Pending | None) -> Route | None:
        """Also the buttons of the module's docstring, pressed at any time."""
        if choice_id.startswith(SUBSCRIBE_CHOICE):
            return Route(RouteName.ALERTS_SUBSCRIBE, decode_subscribe(choice_id))
        if choice_id == LIST_CHOICE:
            return Route(RouteName.ALERTS_LIST)
        if choice_id.startswith(REMOVE_CHOICE):
            which = choice_id.removeprefix(REMOVE_CHOICE)
            if which == "all":
                return Route(RouteName.ALERTS_REMOVE, RemoveAlert(None))
            if which.isdigit():
                return Route(RouteName.ALERTS_REMOVE, RemoveAlert(int(which)))
            return None
        return super().press(choice_id, pending)


FLOW = AlertsFlow(
    name=NAME,
    choice_prefix="al:",
    answer_route=RouteName.ALERTS_ANSWER,
    ask_route=RouteName.ALERTS_ASK,
    hint=N_("alerts.pick_one"),
    steps=(
        Step("kind", N_("alerts.kind.ask"),
             options=(Option("training", N_("alerts.kind.training")),
                      Option("job", N_("alerts.kind.job")),
                      Option("internship", N_("alerts.kind.internship")),
                      Option("grant", N_("alerts.kind.grant")),
                      Option(ANY, N_("alerts.kind.any"))),
             fills=(KindWords(),)),
        Step("municipality", N_("alerts.municipality.ask"),
             options=(Option("kukes", N_("handoff.municipality.kukes")),
                      Option("has", N_("handoff.municipality.has")),
                      Option("tropoje", N_("handoff.municipality.tropoje")),
                      Option(ANY, N_("alerts.municipality.any"))),
             fills=(EntityValue("municipality"),)),
    ),
)


__all__ = ["ANY", "FLOW", "LIST_CHOICE", "REMOVE_CHOICE", "SUBSCRIBE_CHOICE", "wanted"]
