"""The router's precedence as a table: what is pending, what was offered, what came → the route.

No database and no trained model: the state is an ORM object in memory and the NLU a stand-in
that answers from a table of canned parses. The router must not change the state it reads.
"""

import asyncio
import copy
from dataclasses import dataclass, field

import pytest

from bot import content
from bot.config import LOCALES
from bot.content import ContentStore
from bot.flows.base import Pending, set_pending
from bot.messages import Inbound, Media
from bot.paths import CONTENT_DIR
from bot.routes import (
    AskAgain,
    DidYouMean,
    Feedback,
    FlowAnswer,
    Route,
    RouteName,
    ShowPage,
    SwitchLanguage,
    TalkToPerson,
)
from bot.routing import route
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
}
ENTITIES = {
    "po në Has?": (Entity("municipality", "has", 6, 9),),
    "Has?": (Entity("municipality", "has", 0, 3),),
    "po ne tropoje": (Entity("municipality", "tropoje", 6, 13),),
    "a ka ne Kukes?": (Entity("municipality", "kukes", 8, 13),),
    "a do te bjere shi neser ne Kukes": (Entity("municipality", "kukes", 27, 32),),
    "po ne Itali?": (Entity("country", "IT", 6, 11),),
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
    name = {"risk": R.RISK_ANSWER, "handoff": R.HANDOFF_ANSWER}[flow]
    return Route(name, FlowAnswer(flow, step, value))


def again(flow: str, step: str, hint: str | None) -> Route:
    name = {"risk": R.RISK_ASK, "handoff": R.HANDOFF_ASK}[flow]
    return Route(name, AskAgain(flow, step, hint))


def page(page_id: str) -> Route:
    return Route(R.PAGE, ShowPage(page_id))


def again_about(page_id: str, topic: str) -> Route:
    """The page shown last, again, for a follow-up about its topic."""
    return Route(R.PAGE, ShowPage(page_id, about=topic))


PICK = "handoff.pick_one"
HINT = "risk.hint"
TABLE: list[tuple[Row, Route]] = [
    # Pressed buttons: each flow reads its own; the rest is navigation; unknown is the fallback.
    (Row(None, pressed="page:jobs"), page("jobs")),
    (Row(None, pressed="page:menu"), Route(R.MENU)),
    (Row(None, pressed="page:no.such.page"), Route(R.FALLBACK)),
    (Row(None, pressed="lang:en"), Route(R.LANGUAGE, SwitchLanguage("en"))),
    (Row(None, pressed="lang:xx"), Route(R.FALLBACK)),
    (Row(None, pressed="waiting"), Route(R.WAITING)),
    (Row(None, pressed="feedback:yes"), Route(R.FEEDBACK, Feedback("yes"))),
    (Row(None, pressed="handoff:jobs"), Route(R.HANDOFF, TalkToPerson("jobs"))),
    (Row(None, pressed="page:risk_check"), Route(R.RISK_START)),
    (Row(None, pressed="page:risk_check.fee"), Route(R.RISK_START)),
    (Row(None, pressed="risk:start"), Route(R.RISK_START)),
    (Row("risk:fee", pressed="risk:fee:yes"), answer("risk", "fee", "yes")),
    (Row("risk:contract", pressed="risk:fee:yes"), again("risk", "contract", HINT)),
    (Row(None, pressed="risk:fee:yes"), Route(R.FALLBACK)),
    (Row("delete:confirm", pressed="confirm:yes"), Route(R.DELETE_CONFIRMED)),
    (Row("unsubscribe:confirm", pressed="confirm:no"), Route(R.UNSUBSCRIBE_CANCELLED)),
    (Row(None, pressed="confirm:yes"), Route(R.FALLBACK)),
    (Row("delete:confirm", pressed="confirm:maybe"), Route(R.FALLBACK)),
    (Row("handoff:age", pressed="ho:age:18_24"), answer("handoff", "age", "18_24")),
    (Row("handoff:age", pressed="ho:municipality:has"), again("handoff", "age", PICK)),
    (Row("handoff:summary", pressed="ho:contact:chat"), again("handoff", "summary", None)),
    (Row(None, pressed="ho:contact:chat"), Route(R.FALLBACK)),
    (Row(None, pressed="page:jobs", new=True), Route(R.WELCOME)),
    # Media.
    (Row(None, media=Media.IMAGE), Route(R.MEDIA)),
    (Row(None, media=Media.IMAGE, with_staff=True), Route(R.TO_STAFF)),
    # Commands, numbers, labels, the NLU, with nothing pending.
    (Row(None, "menu"), Route(R.MENU)),
    (Row(None, "STOP"), Route(R.UNSUBSCRIBE)),
    (Row(None, "fshi"), Route(R.DELETE_DATA)),
    (Row(None, "English"), Route(R.LANGUAGE, SwitchLanguage("en"))),
    (Row(None, "po"), Route(R.MENU)),
    (Row(None, "2", offered=MENU), page("jobs")),
    (Row(None, "99", offered=MENU), Route(R.OUT_OF_RANGE)),
    (Row(None, "99"), Route(R.FALLBACK)),
    (Row(None, "BIZNES", offered=MENU), page("business")),
    (Row(None, "kerkoj pune"), page("jobs")),
    (Row(None, "dicka per pune dhe kurse"), Route(R.DID_YOU_MEAN, DidYouMean("jobs", "trainings"))),
    (Row(None, "faleminderit shume"), Route(R.THANKS)),
    (Row(None, "mirupafshim"), Route(R.GOODBYE)),
    (Row(None, "can we speak english please"), Route(R.LANGUAGE, SwitchLanguage("en"))),
    (Row(None, "mos me shkruani me"), Route(R.UNSUBSCRIBE_ASK)),
    (Row(None, "asdfgh"), Route(R.FALLBACK)),
    (Row(None, DANGER), page("urgent")),
    # "ndihmë" alone, or help asked for: the menu with urgent help first and the numbers.
    (Row(None, "ndihmë"), page("menu.help")),
    (Row(None, "NDIHME"), page("menu.help")),
    (Row(None, "/ndihme"), page("menu.help")),
    (Row(None, "help"), page("menu.help")),
    (Row(None, "a mund te me ndihmoni"), page("menu.help")),
    (Row(None, "ndihme", new=True), Route(R.WELCOME, ShowPage("menu.help"))),
    (Row("risk:fee", "ndihme", offered=RISK), page("menu.help")),
    (Row("handoff:summary", "ndihme"), page("menu.help")),
    (Row("handoff:age", "ndihme", offered=AGES), page("menu.help")),
    # Short follow-ups right after a page are about its topic: the sub-page an entity picks,
    # or the page again with a lead; a clear topic, danger, or no page shown last: as always.
    (Row(None, "po në Has?", page="jobs"), again_about("jobs", "jobs")),
    (Row(None, "po ne tropoje", page="business.startup"),
     again_about("business.startup", "business")),
    (Row(None, "po për vajza?", page="jobs.programmes"), again_about("jobs.programmes", "jobs")),
    (Row(None, "sa kushton?", page="smuggling.cost"), again_about("smuggling.cost", "smuggling")),
    (Row(None, "ku?", page="trainings.register"), again_about("trainings.register", "trainings")),
    (Row(None, "kur?", page="migration.germany"), again_about("migration.germany", "migration")),
    (Row(None, "a ka ne Kukes?", page="trainings"), again_about("trainings", "trainings")),
    (Row(None, "Has?", page="urgent"), again_about("urgent", "urgent")),
    (Row(None, "po ne Itali?", page="migration.germany"), page("migration.italy_greece")),
    (Row(None, "po ne Itali?", page="migration"), page("migration.italy_greece")),
    (Row(None, "a ka ne Kukes?", page="jobs"), again_about("jobs", "jobs")),
    (Row(None, "kerkoj pune", page="trainings"), page("jobs")),
    (Row(None, "pa", page="jobs"), page("smuggling")),
    (Row(None, "po vajzat?", page="jobs"), again_about("jobs", "jobs")),
    (Row(None, "e kuptova", page="jobs"), Route(R.MENU)),
    (Row(None, "po dua", page="jobs"), Route(R.MENU)),
    (Row(None, "ku?"), Route(R.FALLBACK)),
    (Row(None, "ku?", page="menu"), Route(R.FALLBACK)),
    (Row(None, "kur?", page="risk_check.high"), Route(R.FALLBACK)),
    (Row(None, "asdfgh", page="jobs"), Route(R.FALLBACK)),
    (Row(None, "a do te bjere shi neser ne Kukes", page="jobs"), Route(R.FALLBACK)),
    (Row(None, "po në Has?", page="menu"), Route(R.MENU)),
    (Row(None, "ku?", page="jobs", new=True), Route(R.WELCOME)),
    # A first message.
    (Row(None, "tung si je", new=True), Route(R.WELCOME)),
    (Row(None, "fshi", new=True), Route(R.DELETE_DATA)),
    (Row(None, "2", new=True), Route(R.WELCOME)),
    (Row(None, "kerkoj pune", new=True), Route(R.WELCOME, ShowPage("jobs"))),
    (Row(None, DANGER, new=True), Route(R.WELCOME, ShowPage("urgent"))),
    # The offer check.
    (Row("risk:fee", "po", offered=RISK), answer("risk", "fee", "yes")),
    (Row("risk:fee", "JO", offered=RISK), answer("risk", "fee", "no")),
    (Row("risk:fee", "2", offered=RISK), answer("risk", "fee", "no")),
    (Row("risk:fee", "3", offered=RISK), Route(R.MENU)),
    (Row("risk:fee", "7", offered=RISK), again("risk", "fee", HINT)),
    (Row("risk:fee", "🙂", offered=RISK), again("risk", "fee", HINT)),
    (Row("risk:fee", "nuk e di", offered=RISK), again("risk", "fee", HINT)),
    (Row("risk:fee", "sigurisht qe jo", offered=RISK), answer("risk", "fee", "no")),
    (Row("risk:fee", "menu", offered=RISK), Route(R.MENU)),
    (Row("risk:fee", "english", offered=RISK), Route(R.LANGUAGE, SwitchLanguage("en"))),
    (Row("risk:fee", DANGER, offered=RISK), page("urgent")),
    (Row("risk:fee", "kerkoj pune", offered=RISK), page("jobs")),
    # The passport already taken: an answer of its own (the check stops there); a danger
    # message still wins.
    (Row("risk:passport", pressed="risk:passport:taken"), answer("risk", "passport", "taken")),
    (Row("risk:fee", pressed="risk:fee:taken"), again("risk", "fee", HINT)),
    (Row("risk:passport", "3", offered=PASSPORT), answer("risk", "passport", "taken")),
    (Row("risk:passport", "4", offered=PASSPORT), Route(R.MENU)),
    (Row("risk:passport", "e kane marre tashme", offered=PASSPORT),
     answer("risk", "passport", "taken")),
    (Row("risk:passport", "Ma kanë marrë pasaportën", offered=PASSPORT),
     answer("risk", "passport", "taken")),
    (Row("risk:passport", "they already have it", offered=PASSPORT),
     answer("risk", "passport", "taken")),
    (Row("risk:passport", "nuk ma kane marre", offered=PASSPORT),
     again("risk", "passport", HINT)),
    (Row("risk:passport", "po", offered=PASSPORT), answer("risk", "passport", "yes")),
    (Row("risk:passport", DANGER, offered=PASSPORT), page("urgent")),
    # Confirmations: an answer, or the question lapses.
    (Row("delete:confirm", "po", offered=CONFIRM), Route(R.DELETE_CONFIRMED)),
    (Row("unsubscribe:confirm", "jo", offered=CONFIRM), Route(R.UNSUBSCRIBE_CANCELLED)),
    (Row("delete:confirm", "2", offered=CONFIRM), Route(R.DELETE_CANCELLED)),
    (Row("delete:confirm", "1", offered=CONFIRM), Route(R.DELETE_CONFIRMED)),
    (Row("delete:confirm", "7", offered=CONFIRM), Route(R.OUT_OF_RANGE)),
    (Row("delete:confirm", "ok fshiji", offered=CONFIRM), Route(R.DELETE_CONFIRMED)),
    (Row("delete:confirm", DANGER, offered=CONFIRM), page("urgent")),
    (Row("delete:confirm", "asdfgh", offered=CONFIRM), Route(R.FALLBACK)),
    # The referral questions.
    (Row("handoff:consent", "po"), answer("handoff", "consent", "yes")),
    (Row("handoff:confirm", "jo"), answer("handoff", "confirm", "cancel")),
    (Row("handoff:municipality", "jam nga Krume"), answer("handoff", "municipality", "has")),
    (Row("handoff:municipality", "english"), Route(R.LANGUAGE, SwitchLanguage("en"))),
    (Row("handoff:age", "17", offered=AGES), answer("handoff", "age", "16_17")),
    (Row("handoff:age", "2", offered=AGES), answer("handoff", "age", "16_17")),
    (Row("handoff:age", "15", offered=AGES), answer("handoff", "age", "u16")),
    (Row("handoff:age", "jam 16 vjec", offered=AGES), answer("handoff", "age", "16_17")),
    (Row("handoff:age", pressed="ho:age:u15"), again("handoff", "age", PICK)),  # a former band
    (Row("handoff:age", "200", offered=AGES), again("handoff", "age", PICK)),
    (Row("handoff:age", "jam 23 vjec", offered=AGES), answer("handoff", "age", "18_24")),
    (Row("handoff:contact", "asdfgh", offered=CONTACT), again("handoff", "contact", PICK)),
    (Row("handoff:contact", "99", offered=CONTACT), again("handoff", "contact", PICK)),
    (Row("handoff:contact", "këtu në chat", offered=CONTACT),
     answer("handoff", "contact", "chat")),
    (Row("handoff:contact", "si te hap nje biznes", offered=CONTACT), page("business")),
    (Row("handoff:phone", "069 123 4567", offered=CONTACT),
     answer("handoff", "phone", "+355691234567")),
    (Row("handoff:phone", "1", offered=CONTACT), again("handoff", "phone", "handoff.phone.invalid")),
    (Row("handoff:summary", "english"), answer("handoff", "summary", "english")),
    (Row("handoff:summary", "menu"), Route(R.MENU)),
    (Row("handoff:summary", DANGER), page("urgent")),
    (Row("handoff:summary", SMUGGLING), answer("handoff", "summary", SMUGGLING)),
    # A person has the conversation.
    (Row(None, "faleminderit shume", with_staff=True), Route(R.TO_STAFF)),
    (Row(None, "pershendetje", with_staff=True), Route(R.WELCOME)),
    (Row(None, "po", with_staff=True), Route(R.TO_STAFF)),
    (Row(None, "menu", with_staff=True), Route(R.MENU)),
    (Row(None, DANGER, with_staff=True), page("urgent")),
    # Refusals wherever a yes/no is asked; "pa" is no yes.
    (Row("risk:fee", "Kurrsesi", offered=RISK), answer("risk", "fee", "no")),
    (Row("risk:fee", "kurrësesi", offered=RISK), answer("risk", "fee", "no")),
    (Row("risk:fee", "ASPAK", offered=RISK), answer("risk", "fee", "no")),
    (Row("risk:fee", "jo mer", offered=RISK), answer("risk", "fee", "no")),
    (Row("handoff:consent", "Jo mër"), answer("handoff", "consent", "no")),
    (Row("handoff:confirm", "aspak"), answer("handoff", "confirm", "cancel")),
    (Row("delete:confirm", "kurrsesi", offered=CONFIRM), Route(R.DELETE_CANCELLED)),
    (Row("unsubscribe:confirm", "JO MER", offered=CONFIRM), Route(R.UNSUBSCRIBE_CANCELLED)),
    (Row("risk:fee", "pa", offered=RISK), again("risk", "fee", HINT)),
    (Row("delete:confirm", "pa", offered=CONFIRM), Route(R.FALLBACK)),
    (Row("handoff:consent", "pa"), again("handoff", "consent", PICK)),
    # A lone short word while a yes/no question waits opens no page; only urgent help wins.
    (Row(None, "pa"), page("smuggling")),
    (Row("risk:passport", "pa", offered=RISK), again("risk", "passport", HINT)),
    (Row("handoff:confirm", "pa"), again("handoff", "confirm", PICK)),
    (Row("risk:fee", "sos", offered=RISK), page("urgent")),
    (Row("delete:confirm", "sos", offered=CONFIRM), page("urgent")),
]


@pytest.fixture(scope="module")
def store() -> ContentStore:
    return content.load(CONTENT_DIR, LOCALES)


def situation(row: Row, store: ContentStore) -> Situation:
    state = ConversationState(page=row.page, pending=None, offered=[list(c) for c in row.offered],
                              data={WITH_STAFF: 7} if row.with_staff else {})
    flow, _, step = (row.pending or "").partition(":")
    set_pending(state, Pending(flow, step) if row.pending else None)
    inbound = Inbound("test", "ana", text=row.said, choice_id=row.pressed, media=row.media)
    return Situation(inbound, state, row.new, store, frozenset(LOCALES))


def _id(case: tuple[Row, Route]) -> str:
    row, _ = case
    after = f"|after {row.page}" if row.page else ""
    return f"{row.pending or '-'}|{row.pressed or row.said or row.media}{after}"


@pytest.mark.parametrize("case", TABLE, ids=[_id(case) for case in TABLE])
def test_the_route_for_each_situation(case: tuple[Row, Route], store: ContentStore) -> None:
    row, expected = case
    seen = situation(row, store)
    before = (seen.state.pending, copy.deepcopy(seen.state.data), list(seen.state.offered))
    decision = asyncio.run(route(seen, StandIn()))
    assert decision.route == expected
    assert (seen.state.pending, seen.state.data, seen.state.offered) == before


def test_the_table_is_long_enough_and_covers_every_route_it_can() -> None:
    assert len(TABLE) >= 40
    reachable = set(RouteName)
    assert reachable - {expected.name for _row, expected in TABLE} == set()


def test_the_parse_comes_back_with_the_decision_and_only_when_asked(store: ContentStore) -> None:
    nlu = StandIn()
    decision = asyncio.run(route(situation(Row(None, "kerkoj pune"), store), nlu))
    assert decision.parse is not None and decision.parse.intent.name == "jobs"
    assert nlu.asked == ["kerkoj pune"]
    nlu = StandIn()
    decision = asyncio.run(route(situation(Row("risk:fee", "po", offered=RISK), store), nlu))
    assert decision.parse is None and nlu.asked == []
