"""Deciding which handler takes a message.

In order: a pressed choice, a command word, an answer to a pending question, a number or a label
from the choices shown last, and otherwise what the NLU understood. A message the NLU reads as
danger (urgent help, an offer to be smuggled) goes to its page before anything else, whatever
state the conversation is in.
"""

import re

from bot.content import MENU
from bot.messages import Media
from bot.turn import LANGUAGE_CHOICE, PAGE_CHOICE, WAITING_CHOICE, Route, Turn
from nlu.base import SAFETY_INTENTS, Parse, Understander
from nlu.normalize import fold

CONFIRM_YES = "confirm:yes"
CONFIRM_NO = "confirm:no"
PENDING_DELETE = "delete"
PENDING_UNSUBSCRIBE = "unsubscribe"
_ANSWERS = {
    PENDING_DELETE: (Route("delete_confirmed"), Route("delete_cancelled")),
    PENDING_UNSUBSCRIBE: (Route("unsubscribe"), Route("unsubscribe_cancelled")),
}
"""What yes and no to a pending question lead to."""
AMBIGUITY_MARGIN = 0.15
"""Two topics closer than this in confidence: ask which one was meant."""
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")

_COMMAND_ROUTES = {
    "start": Route("welcome"),
    "menu": Route("menu"),
    "stop": Route("unsubscribe"),
    "delete": Route("delete_data"),
    "language": Route("language"),
    "english": Route("language", "en"),
    "albanian": Route("language", "sq"),
}
_FIRST_CONTACT_COMMANDS = ("stop", "delete", "language", "english", "albanian")
_FIRST_CONTACT_INTENTS = ("delete_data", "unsubscribe")
"""What a first message may do instead of getting the welcome (a "hi" gets the welcome, with
what the bot keeps, like /start does)."""
_INTENT_ROUTES = {
    "greet": Route("menu"),
    "help": Route("menu"),
    "affirm": Route("menu"),
    "deny": Route("menu"),
    "goodbye": Route("goodbye"),
    "thanks": Route("thanks"),
    "delete_data": Route("delete_data"),
    "unsubscribe": Route("unsubscribe_ask"),
    "out_of_scope": Route("fallback"),
}
_ENGLISH = re.compile(r"\b(english|anglisht\w*|eng|inglese)\b")
_ALBANIAN = re.compile(r"\b(shqip\w*|albanian)\b")


async def route(turn: Turn, nlu: Understander) -> Route:
    """The route for this turn. A pending question is answered now or lapses."""
    chosen = await _route(turn, nlu)
    turn.state.pending = None
    return chosen


async def _route(turn: Turn, nlu: Understander) -> Route:
    inbound = turn.inbound
    if inbound.choice_id:
        return Route("welcome") if turn.is_new_user else _from_choice(turn, inbound.choice_id)
    if inbound.media is not Media.TEXT:
        return Route("welcome") if turn.is_new_user else Route("media")
    folded = fold(inbound.text)
    command = turn.content.command(folded)
    if command is not None:
        return _from_command(turn, command)
    if turn.is_new_user and not folded:
        return Route("welcome")
    if (number := _NUMBER.match(folded)) is not None:
        return Route("welcome") if turn.is_new_user else _from_number(turn, int(number.group(1)))
    for choice in turn.offered():
        if folded and fold(choice.label) == folded:
            return _from_choice(turn, choice.id)
    if not folded:
        return Route("fallback")
    turn.parse = await nlu.parse(inbound.text)
    return _from_parse(turn, turn.parse)


def _from_command(turn: Turn, command: str) -> Route:
    if turn.state.pending in _ANSWERS and command in ("yes", "no"):
        return _from_choice(turn, CONFIRM_YES if command == "yes" else CONFIRM_NO)
    if turn.is_new_user and command not in _FIRST_CONTACT_COMMANDS:
        return Route("welcome")
    return _COMMAND_ROUTES.get(command, Route("menu"))


def _from_parse(turn: Turn, parse: Parse) -> Route:
    intent = parse.intent.name
    page = turn.content.page_for(intent, parse.entity_values())
    if intent in SAFETY_INTENTS and page is not None:
        return Route("welcome" if turn.is_new_user else "page", page)
    if turn.state.pending in _ANSWERS and intent in ("affirm", "deny"):
        return _from_choice(turn, CONFIRM_YES if intent == "affirm" else CONFIRM_NO)
    if turn.is_new_user:
        if page is None and intent in _FIRST_CONTACT_INTENTS:
            return _INTENT_ROUTES[intent]
        return Route("welcome", page)
    if page is not None:
        rival = _close_rival(turn, parse)
        return Route("did_you_mean", f"{page} {rival}") if rival else Route("page", page)
    if intent == "change_language":
        return Route("language", _language_asked(turn))
    return _INTENT_ROUTES.get(intent, Route("fallback"))


def _close_rival(turn: Turn, parse: Parse) -> str | None:
    """Another topic almost as likely as the chosen one, if there is one."""
    ranking = [s for s in parse.ranking if s.name != parse.intent.name]
    if not ranking or parse.intent.confidence - ranking[0].confidence >= AMBIGUITY_MARGIN:
        return None
    return turn.content.page_for(ranking[0].name, {})


def _language_asked(turn: Turn) -> str | None:
    """The language named in the message; None (switch to the other) when none is."""
    text = fold(turn.inbound.text)
    if _ENGLISH.search(text):
        return "en"
    if _ALBANIAN.search(text):
        return "sq"
    return None


def _from_number(turn: Turn, number: int) -> Route:
    offered = turn.offered()
    if 1 <= number <= len(offered):
        return _from_choice(turn, offered[number - 1].id)
    return Route("out_of_range") if offered else Route("fallback")


def _from_choice(turn: Turn, choice_id: str) -> Route:
    """A pressed button may be from a message of last month: anything unknown gets the fallback."""
    if choice_id.startswith(PAGE_CHOICE):
        page_id = choice_id.removeprefix(PAGE_CHOICE)
        if page_id == MENU:
            return Route("menu")
        if turn.content.has_page(page_id):
            return Route("page", page_id)
    if choice_id.startswith(LANGUAGE_CHOICE):
        locale = choice_id.removeprefix(LANGUAGE_CHOICE)
        if locale in turn.translators:
            return Route("language", locale)
    if choice_id == WAITING_CHOICE:
        return Route("waiting")
    if choice_id in (CONFIRM_YES, CONFIRM_NO) and turn.state.pending in _ANSWERS:
        yes, no = _ANSWERS[turn.state.pending]
        return yes if choice_id == CONFIRM_YES else no
    return Route("fallback")
