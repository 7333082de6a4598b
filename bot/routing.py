"""Deciding which handler takes a message: precedence, and nothing else.

In order: a pressed choice (each flow reads its own buttons), a person who has the conversation,
the pending flow's reading of the message, a command word, a number or a label of the choices
shown last, and otherwise what the NLU understood, with a short follow-up read as about the
page shown last (:mod:`bot.followups`). A message the NLU reads as danger (urgent help, an offer
to be smuggled) goes to its page before anything else, whatever is pending.

The router reads the situation and returns a :class:`Decision`; the engine applies it.
"""

from dataclasses import dataclass

from bot import flows
from bot.config import locale_named
from bot.content import HELP, MENU
from bot.flows.alerts import wanted as alerts_wanted
from bot.flows.interpret import Reading
from bot.followups import follow_up
from bot.messages import Media
from bot.routes import (
    DidYouMean,
    Feedback,
    FindOpportunities,
    Route,
    RouteName,
    ShowPage,
    SwitchLanguage,
    opportunity_route,
)
from bot.staff import FEEDBACK_CHOICE, WITH_STAFF
from bot.turn import LANGUAGE_CHOICE, PAGE_CHOICE, WAITING_CHOICE, Situation
from nlu.base import SAFETY_INTENTS, URGENT_INTENT, Parse, Understander
from nlu.normalize import fold
from opportunities.matching import TOPIC_KINDS

R = RouteName
AMBIGUITY_MARGIN = 0.15
"""Two topics closer than this in confidence: ask which one was meant."""
_HELP = Route(R.PAGE, ShowPage(HELP))
_COMMAND_ROUTES = {
    "start": Route(R.WELCOME), "menu": Route(R.MENU), "help": _HELP, "stop": Route(R.UNSUBSCRIBE),
    "delete": Route(R.DELETE_DATA), "language": Route(R.LANGUAGE), "sources": Route(R.SOURCES),
    "english": Route(R.LANGUAGE, SwitchLanguage("en")),
    "albanian": Route(R.LANGUAGE, SwitchLanguage("sq")),
    "alerts": Route(R.ALERTS_LIST),
}
_FIRST_CONTACT_COMMANDS = ("stop", "delete", "language", "english", "albanian")
_FIRST_CONTACT_INTENTS = ("delete_data", "unsubscribe")
"""What a first message may do instead of getting the welcome (a "hi" gets the welcome, with
what the bot keeps, like /start does)."""
_INTENT_ROUTES = {
    "greet": Route(R.MENU), "help": _HELP, "affirm": Route(R.MENU), "deny": Route(R.MENU),
    "goodbye": Route(R.GOODBYE), "thanks": Route(R.THANKS), "delete_data": Route(R.DELETE_DATA),
    "unsubscribe": Route(R.UNSUBSCRIBE_ASK), "out_of_scope": Route(R.FALLBACK),
}
_STAFF_COMMANDS = ("start", "menu", "stop", "delete")
"""What a young person can still ask of the bot while a person has the conversation."""


@dataclass(frozen=True)
class Decision:
    """The route for a turn, and what the NLU understood if it was asked."""

    route: Route
    parse: Parse | None = None


async def route(situation: Situation, nlu: Understander) -> Decision:
    inbound = situation.inbound
    if inbound.choice_id:
        return Decision(Route(R.WELCOME) if situation.is_new_user
                        else _pressed(situation, inbound.choice_id))
    if inbound.media is not Media.TEXT:
        if WITH_STAFF in situation.state.data:
            return Decision(Route(R.TO_STAFF))  # they are told something came they cannot see
        return Decision(Route(R.WELCOME if situation.is_new_user else R.MEDIA))
    command = situation.content.command(fold(inbound.text))
    reading = Reading(inbound.text, command, situation.offered(), nlu)
    chosen = await _read(situation, reading)
    return Decision(chosen, reading.parsed)


async def _read(situation: Situation, reading: Reading) -> Route:
    new = situation.is_new_user
    if (waiting := flows.pending(situation.state)) is not None:
        # Asked just now (a "fshi" confirmation, even while a person has the conversation).
        flow, step = waiting
        if (answered := await flow.interpret(situation, reading, step)) is not None:
            return answered
        if (picked := reading.picked()) is not None and (
                pressed := flows.press(picked.id, situation.state)) is not None:
            return pressed  # its number or label, typed
    if WITH_STAFF in situation.state.data and reading.command not in _STAFF_COMMANDS:
        return await _to_staff(situation, reading)  # their words go to the person
    if reading.command is not None:
        if new and reading.command not in _FIRST_CONTACT_COMMANDS:
            return Route(R.WELCOME, _HELP.args if reading.command == "help" else None)
        return _COMMAND_ROUTES.get(reading.command, Route(R.MENU))
    if new and (not reading.folded or reading.number is not None):
        return Route(R.WELCOME)
    if (picked := reading.picked()) is not None:
        return _pressed(situation, picked.id)
    if reading.number is not None:
        return Route(R.OUT_OF_RANGE if reading.offered else R.FALLBACK)
    if not reading.folded:
        return Route(R.FALLBACK)
    return _from_parse(situation, await reading.parse(), reading.folded)


async def _to_staff(situation: Situation, reading: Reading) -> Route:
    """A danger message also gets the urgent page; anything else goes to staff quietly."""
    parse = await reading.parse()
    urgent = situation.content.page_for(URGENT_INTENT, {})
    if parse.intent.name == URGENT_INTENT and urgent is not None:
        return Route(R.PAGE, ShowPage(urgent))
    return Route(R.TO_STAFF)


def _from_parse(situation: Situation, parse: Parse, folded: str) -> Route:
    intent = parse.intent.name
    page = situation.content.page_for(intent, parse.entity_values())
    if intent in SAFETY_INTENTS and page is not None:
        return Route(R.WELCOME if situation.is_new_user else R.PAGE, ShowPage(page))
    if situation.is_new_user:
        if page is None and intent in _FIRST_CONTACT_INTENTS:
            return _INTENT_ROUTES[intent]
        return Route(R.WELCOME, ShowPage(page) if page else None)
    if (alerts := alerts_wanted(folded, parse)) is not None:
        return Route(R.ALERTS_SUBSCRIBE, alerts)  # "më njofto për punë": before the topic
    if (followed := follow_up(situation, parse)) is not None:
        return followed  # "po në Has?" right after a page: about that page's topic
    if page is not None:
        rival = _close_rival(situation, parse)
        if rival:
            return Route(R.DID_YOU_MEAN, DidYouMean(page, rival))
        return asked_for_opportunities(page, parse) or Route(R.PAGE, ShowPage(page))
    if intent == "change_language":
        return Route(R.LANGUAGE, SwitchLanguage(locale_named(folded)))
    return _INTENT_ROUTES.get(intent, Route(R.FALLBACK))


def asked_for_opportunities(page: str, parse: Parse) -> Route | None:
    """A question about trainings, jobs or business support asks for the open opportunities
    of that topic, for the municipality and sector it names (the page when there are none)."""
    topic = page.split(".")[0]
    if topic not in TOPIC_KINDS:
        return None
    entities = parse.entity_values()
    municipality, sector = (entities.get(name, [None])[0] for name in ("municipality", "sector"))
    return Route(R.OPPORTUNITIES, FindOpportunities(topic, municipality, sector, page_id=page))


def _close_rival(situation: Situation, parse: Parse) -> str | None:
    """Another topic almost as likely as the chosen one, if there is one."""
    ranking = [s for s in parse.ranking if s.name != parse.intent.name]
    if not ranking or parse.intent.confidence - ranking[0].confidence >= AMBIGUITY_MARGIN:
        return None
    return situation.content.page_for(ranking[0].name, {})


def _pressed(situation: Situation, choice_id: str) -> Route:
    """A pressed button may be from a message of last month: anything unknown gets the
    fallback. A flow's buttons are read by the flow."""
    if (answered := flows.press(choice_id, situation.state)) is not None:
        return answered
    if choice_id.startswith(FEEDBACK_CHOICE):
        return Route(R.FEEDBACK, Feedback(choice_id.removeprefix(FEEDBACK_CHOICE)))
    if choice_id.startswith(PAGE_CHOICE):
        page_id = choice_id.removeprefix(PAGE_CHOICE)
        if page_id == MENU:
            return Route(R.MENU)
        if situation.content.has_page(page_id):
            return Route(R.PAGE, ShowPage(page_id))
    if choice_id.startswith(LANGUAGE_CHOICE):
        locale = choice_id.removeprefix(LANGUAGE_CHOICE)
        if locale in situation.locales:
            return Route(R.LANGUAGE, SwitchLanguage(locale))
    if choice_id == WAITING_CHOICE:
        return Route(R.WAITING)
    return opportunity_route(choice_id) or Route(R.FALLBACK)
