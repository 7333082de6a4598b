"""The router's precedence as a table: what is pending, what was offered, what came → the route.

No database and no trained model: the state is an ORM object in memory and the NLU a stand-in
that answers from a table of canned parses. The router must not change the state it reads.
"""

import asyncio
import copy

import pytest

from bot import content
from bot.config import LOCALES
from bot.content import ContentStore
from bot.messages import Media
from bot.paths import CONTENT_DIR
from bot.routes import (
    AlertFilter,
    DidYouMean,
    Feedback,
    FindOpportunities,
    FlowAnswer,
    Interested,
    Remind,
    RemoveAlert,
    Route,
    RouteName,
    ShowPage,
    SwitchLanguage,
    TalkToPerson,
)
from bot.routing import route
from tests.support.routing_table import (
    AGES,
    ALERTS_HINT,
    CONFIRM,
    CONTACT,
    DANGER,
    HINT,
    KINDS,
    MENU,
    PASSPORT,
    PICK,
    PLACES,
    PROFILE_HINT,
    RISK,
    SMUGGLING,
    R,
    Row,
    StandIn,
    again,
    again_about,
    answer,
    asked,
    page,
    situation,
)

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
    (Row(None, "burimet", page="jobs"), Route(R.SOURCES)),
    (Row(None, "Sources"), Route(R.SOURCES)),
    (Row(None, "STOP"), Route(R.UNSUBSCRIBE)),
    (Row(None, "fshi"), Route(R.DELETE_DATA)),
    (Row(None, "English"), Route(R.LANGUAGE, SwitchLanguage("en"))),
    (Row(None, "po"), Route(R.MENU)),
    (Row(None, "2", offered=MENU), page("jobs")),
    (Row(None, "99", offered=MENU), Route(R.OUT_OF_RANGE)),
    (Row(None, "99"), Route(R.FALLBACK)),
    (Row(None, "BIZNES", offered=MENU), page("business")),
    (Row(None, "kerkoj pune"), asked("jobs")),
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
    (Row(None, "kerkoj pune", page="trainings"), asked("jobs")),
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
    (Row("risk:fee", "kerkoj pune", offered=RISK), asked("jobs")),
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
    # ... and "fshi" was asked just now: the answer is the bot's, typed or by its number.
    (Row("delete:confirm", "po", offered=CONFIRM, with_staff=True), Route(R.DELETE_CONFIRMED)),
    (Row("delete:confirm", "1", offered=CONFIRM, with_staff=True), Route(R.DELETE_CONFIRMED)),
    (Row("delete:confirm", "jo", offered=CONFIRM, with_staff=True), Route(R.DELETE_CANCELLED)),
    (Row("delete:confirm", "faleminderit shume", offered=CONFIRM, with_staff=True),
     Route(R.TO_STAFF)),
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
    # Opportunities: a question about trainings, jobs or business asks for the open ones (for
    # what it names); their buttons: a list, "I'm interested", a reminder; a forged one fails.
    (Row(None, "kurs IT ne Has"), Route(R.OPPORTUNITIES, FindOpportunities(
        "trainings", "has", "ict", page_id="trainings"))),
    (Row(None, pressed="opp:list:jobs:tropoje::1"),
     Route(R.OPPORTUNITIES, FindOpportunities("jobs", "tropoje", None, 1))),
    (Row("handoff:age", pressed="opp:want:it-has"), Route(R.INTERESTED, Interested("it-has"))),
    (Row(None, pressed="opp:remind:it-has"), Route(R.REMIND, Remind("it-has"))),
    (Row(None, pressed="opp:list:jobs:has:x:y"), Route(R.FALLBACK)),
    # Alerts: a wish in words wins over its topic (not for a first message, nor a question
    # about job notices); the buttons anyone may offer; the flow's questions.
    (Row(None, "me njofto per pune ne Has"),
     Route(R.ALERTS_SUBSCRIBE, AlertFilter("job", "", "has"))),
    (Row(None, "me njof per kurse", page="jobs"),
     Route(R.ALERTS_SUBSCRIBE, AlertFilter("training"))),
    (Row(None, "me njofto per pune ne Has", new=True), Route(R.WELCOME, ShowPage("jobs"))),
    (Row(None, "a ka njoftime per pune"),
     Route(R.OPPORTUNITIES, FindOpportunities("jobs", page_id="jobs"))),
    (Row(None, "njoftimet"), Route(R.ALERTS_LIST)),
    (Row(None, pressed="alerts:list"), Route(R.ALERTS_LIST)),
    (Row(None, pressed="alerts:remove:7"), Route(R.ALERTS_REMOVE, RemoveAlert(7))),
    (Row(None, pressed="alerts:remove:all"), Route(R.ALERTS_REMOVE, RemoveAlert(None))),
    (Row(None, pressed="alerts:remove:x"), Route(R.FALLBACK)),
    (Row(None, pressed="alerts:sub:job:hospitality:tropoje"),
     Route(R.ALERTS_SUBSCRIBE, AlertFilter("job", "hospitality", "tropoje"))),
    (Row(None, pressed="alerts:sub:bogus:x:paris"), Route(R.ALERTS_SUBSCRIBE, AlertFilter())),
    (Row("alerts:kind", pressed="al:kind:job"), answer("alerts", "kind", "job")),
    (Row("alerts:kind", "2", offered=KINDS), answer("alerts", "kind", "job")),
    (Row("alerts:kind", "kerkoj pune", offered=KINDS), answer("alerts", "kind", "job")),
    (Row("alerts:kind", "asdfgh", offered=KINDS), again("alerts", "kind", ALERTS_HINT)),
    (Row("alerts:municipality", "jam nga Krume"), answer("alerts", "municipality", "has")),
    (Row("alerts:municipality", "stop"), Route(R.UNSUBSCRIBE)),
    (Row("alerts:municipality", DANGER), page("urgent")),
    (Row(None, pressed="al:kind:job"), Route(R.FALLBACK)),
    # The profile question: its buttons, a place or an age typed, several at once; "jo" says no
    # to the whole at the first step and skips a later one; a question, danger or a command
    # leaves it.
    (Row("profile:municipality", pressed="pr:municipality:has"),
     answer("profile", "municipality", "has")),
    (Row("profile:municipality", "kalo", offered=PLACES), answer("profile", "municipality", "skip")),
    (Row("profile:municipality", "6", offered=PLACES),
     answer("profile", "municipality", "decline")),
    (Row("profile:municipality", "jam nga Krume", offered=PLACES),
     answer("profile", "municipality", "has")),
    (Row("profile:municipality", "jam prej hasi 17 vjec", offered=PLACES),
     Route(R.PROFILE_ANSWER, FlowAnswer("profile", "municipality", "has", (("age", "16_17"),)))),
    (Row("profile:municipality", "17", offered=PLACES), answer("profile", "age", "16_17")),
    (Row("profile:municipality", "jo"), answer("profile", "municipality", "decline")),
    (Row("profile:age", "jo"), answer("profile", "age", "skip")),
    (Row("profile:age", "200"), again("profile", "age", "profile.age.again")),
    (Row("profile:municipality", "po"), again("profile", "municipality", PROFILE_HINT)),
    (Row("profile:age", pressed="pr:municipality:has"),
     again("profile", "age", "profile.age.again")),
    (Row("profile:municipality", "kerkoj pune", offered=PLACES), asked("jobs")),
    (Row("profile:municipality", "asdfgh", offered=PLACES), Route(R.FALLBACK)),
    (Row("profile:municipality", DANGER), page("urgent")),
    (Row("profile:age", "fshi"), Route(R.DELETE_DATA)),
    (Row(None, pressed="pr:age:18_24"), Route(R.FALLBACK)),
]


@pytest.fixture(scope="module")
def store() -> ContentStore:
    return content.load(CONTENT_DIR, LOCALES)


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
