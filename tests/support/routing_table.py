"""The routing table test's parts: a stand-in NLU answering from canned parses, the choices a
situation offers, a row of the table, and the situation it stands for (no database: the state
is an ORM object in memory)."""

from dataclasses import dataclass, field

from bot.config import LOCALES
from bot.content import ContentStore
from bot.flows.base import Pending, set_pending
from bot.messages import Inbound, Media
from bot.routes import AskAgain, FindOpportunities, FlowAnswer, Route, RouteName, ShowPage
from bot.staff import WITH_STAFF
from bot.storage.models import ConversationState
from bot.turn import Situation
from nlu.base import IntentScore, Parse
from nlu.training_data import Entity

R = RouteName
DANGER = "me kane marre pasaporten"
SMUGGLING = "nje shok me con ne Angli me gomone"


def _parse(text: str, intent: str, confidence: float = 0.9,
           entities: tuple[Entity, ...] = (), ranking: tuple[IntentScore, ...] = ()) -> Parse:
    return Parse(text, IntentScore(intent, confidence), entities,
                 ranking or (IntentScore(intent, confidence),))


CANNED = {
    DANGER: ("urgent_help", 0.95),
    SMUGGLING: ("smuggling_risk", 0.9),
    "kerkoj pune": ("jobs", 0.9),
    "si te hap nje biznes": ("business", 0.9),
    "nuk e di": ("deny", 0.6),
    "sigurisht qe jo": ("deny", 0.95),
    "ok fshiji": ("affirm", 0.7),
    "faleminderit shume": ("thanks", 0.9),
    "can we speak english please": ("change_language", 0.9),
    "mos me shkruani me": ("unsubscribe", 0.9),
    "tung si je": ("greet", 0.9),
    "mirupafshim": ("goodbye", 0.9),
    "pa": ("smuggling_risk", 0.8),  # how the NLU of today reads a lone "pa"
    "sos": ("urgent_help", 0.9),
    "a mund te me ndihmoni": ("help", 0.9),
    # Short follow-ups, as the NLU of today reads them.
    "po në Has?": ("affirm", 0.78),
    "po ne tropoje": ("affirm", 0.52),
    "po për vajza?": ("affirm", 0.99),
    "sa kushton?": ("out_of_scope", 0.77),
    "ku?": ("out_of_scope", 0.99),
    "kur?": ("out_of_scope", 0.99),
    "a ka ne Kukes?": ("jobs", 0.52),
    "po ne Itali?": ("affirm", 0.7),
    "Has?": ("out_of_scope", 0.6),
    "a do te bjere shi neser ne Kukes": ("out_of_scope", 0.9),
    "po vajzat?": ("affirm", 0.8),
    "e kuptova": ("affirm", 0.8),
    "po dua": ("affirm", 0.9),
    "kurs IT ne Has": ("trainings", 0.95),
    # Asking for alerts: the topic the NLU reads in them gives way to the wish.
    "me njofto per pune ne Has": ("jobs", 0.8),
    "me njof per kurse": ("trainings", 0.7),
    "a ka njoftime per pune": ("jobs", 0.9),
    # The profile question: a place and an age in one message.
    "jam prej hasi 17 vjec": ("out_of_scope", 0.8),
}
ENTITIES = {
    "po në Has?": (Entity("municipality", "has", 6, 9),),
    "Has?": (Entity("municipality", "has", 0, 3),),
    "po ne tropoje": (Entity("municipality", "tropoje", 6, 13),),
    "a ka ne Kukes?": (Entity("municipality", "kukes", 8, 13),),
    "a do te bjere shi neser ne Kukes": (Entity("municipality", "kukes", 27, 32),),
    "po ne Itali?": (Entity("country", "IT", 6, 11),),
    "kurs IT ne Has": (Entity("sector", "ict", 5, 7), Entity("municipality", "has", 11, 14)),
    "me njofto per pune ne Has": (Entity("municipality", "has", 22, 25),),
    "jam prej hasi 17 vjec": (Entity("municipality", "has", 9, 14),),
}


class StandIn:
    """An :class:`~nlu.base.Understander` answering from :data:`CANNED`; out of scope else."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def parse(self, text: str) -> Parse:
        self.asked.append(text)
        if text == "jam nga Krume":
            return _parse(text, "out_of_scope", 0.5,
                          (Entity("municipality", "has", 8, 13),))
        if text == "dicka per pune dhe kurse":
            ranking = (IntentScore("jobs", 0.46), IntentScore("trainings", 0.41))
            return _parse(text, "jobs", 0.46, ranking=ranking)
        intent, confidence = CANNED.get(text, ("out_of_scope", 0.8))
        return _parse(text, intent, confidence, ENTITIES.get(text, ()))


MENU = [("page:trainings", "Trajnime"), ("page:jobs", "Punë"), ("page:business", "Biznes")]
RISK = [("risk:fee:yes", "Po"), ("risk:fee:no", "Jo"), ("page:menu", "Menuja")]
PASSPORT = [("risk:passport:yes", "Po"), ("risk:passport:no", "Jo"),
            ("risk:passport:taken", "E kanë marrë tashmë"), ("page:menu", "Menuja")]
CONFIRM = [("confirm:yes", "Po, fshiji"), ("confirm:no", "Jo")]
AGES = [(f"ho:age:{band}", band) for band in ("u16", "16_17", "18_24", "25_29", "30p")]
CONTACT = [("ho:contact:chat", "Këtu në chat"), ("ho:contact:phone", "Me telefon")]


@dataclass(frozen=True)
class Row:
    pending: str | None
    """``flow:step``, or None."""
    said: str = ""
    pressed: str | None = None
    offered: list[tuple[str, str]] = field(default_factory=list)
    new: bool = False
    with_staff: bool = False
    media: Media = Media.TEXT
    page: str | None = None
    """The page shown last."""


def answer(flow: str, step: str, value: str) -> Route:
    name = {"risk": R.RISK_ANSWER, "handoff": R.HANDOFF_ANSWER, "alerts": R.ALERTS_ANSWER,
            "profile": R.PROFILE_ANSWER}[flow]
    return Route(name, FlowAnswer(flow, step, value))


def again(flow: str, step: str, hint: str | None) -> Route:
    name = {"risk": R.RISK_ASK, "handoff": R.HANDOFF_ASK, "alerts": R.ALERTS_ASK,
            "profile": R.PROFILE_ASK}[flow]
    return Route(name, AskAgain(flow, step, hint))


def page(page_id: str) -> Route:
    return Route(R.PAGE, ShowPage(page_id))


def asked(topic: str) -> Route:
    """The open opportunities of a topic, for a question that names no place or sector."""
    return Route(R.OPPORTUNITIES, FindOpportunities(topic, page_id=topic))


def again_about(page_id: str, topic: str) -> Route:
    """The page shown last, again, for a follow-up about its topic."""
    return Route(R.PAGE, ShowPage(page_id, about=topic))


PICK = "handoff.pick_one"
HINT = "risk.hint"
ALERTS_HINT = "alerts.pick_one"
KINDS = [("al:kind:training", "Kurse"), ("al:kind:job", "Punë"), ("al:kind:any", "Të gjitha")]
PROFILE_HINT = "profile.pick_one"
PLACES = [("pr:municipality:kukes", "Kukës"), ("pr:municipality:has", "Has"),
          ("pr:municipality:tropoje", "Tropojë"), ("pr:municipality:other", "Tjetër"),
          ("pr:municipality:skip", "Kalo"), ("pr:municipality:decline", "Jo, s'dua")]

def situation(row: Row, store: ContentStore) -> Situation:
    state = ConversationState(page=row.page, pending=None, offered=[list(c) for c in row.offered],
                              data={WITH_STAFF: 7} if row.with_staff else {})
    flow, _, step = (row.pending or "").partition(":")
    set_pending(state, Pending(flow, step) if row.pending else None)
    inbound = Inbound("test", "ana", text=row.said, choice_id=row.pressed, media=row.media)
    return Situation(inbound, state, row.new, store, frozenset(LOCALES))
