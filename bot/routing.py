"""Deciding which handler takes a message: a pressed choice, a command word, a number, or text.

Free text goes to ``fallback`` until the NLU issue lets it reach the topics by meaning.
"""

import re

from bot.content import MENU
from bot.messages import Media
from bot.turn import LANGUAGE_CHOICE, PAGE_CHOICE, Route, Turn
from nlu.normalize import fold

DELETE_YES = "delete:yes"
DELETE_NO = "delete:no"
PENDING_DELETE = "delete"
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")

_COMMAND_ROUTES = {
    "menu": Route("menu"),
    "stop": Route("unsubscribe"),
    "delete": Route("delete_data"),
    "english": Route("language", "en"),
    "albanian": Route("language", "sq"),
}
_FIRST_CONTACT_COMMANDS = ("stop", "delete", "english", "albanian")
"""What a first message may do instead of getting the welcome."""


def route(turn: Turn) -> Route:
    """The route for this turn. A pending question lapses unless this message answers it."""
    chosen = _route(turn)
    if chosen.name not in ("delete_confirmed", "delete_cancelled"):
        turn.state.pending = None
    return chosen


def _route(turn: Turn) -> Route:
    inbound = turn.inbound
    folded = fold(inbound.text)
    command = None if inbound.choice_id else turn.content.command(folded)
    if turn.is_new_user and command not in _FIRST_CONTACT_COMMANDS:
        return Route("welcome")
    if inbound.choice_id:
        return _from_choice(turn, inbound.choice_id)
    if inbound.media is not Media.TEXT:
        return Route("media")
    if turn.state.pending == PENDING_DELETE and command in ("yes", "no"):
        return _from_choice(turn, DELETE_YES if command == "yes" else DELETE_NO)
    if command == "start":
        return Route("welcome")
    if command in _COMMAND_ROUTES:
        return _COMMAND_ROUTES[command]
    if (number := _NUMBER.match(folded)) is not None:
        return _from_number(turn, int(number.group(1)))
    for choice in turn.offered():
        if folded and fold(choice.label) == folded:
            return _from_choice(turn, choice.id)
    return Route("fallback")


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
    if choice_id in (DELETE_YES, DELETE_NO) and turn.state.pending == PENDING_DELETE:
        return Route("delete_confirmed" if choice_id == DELETE_YES else "delete_cancelled")
    return Route("fallback")
