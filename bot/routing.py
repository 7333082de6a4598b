"""Deciding which handler takes a message.

In order: a pressed choice, a command word, an answer to a pending question, a number or a label
from the choices shown last, and otherwise what the NLU understood. A message the NLU reads as
danger (urgent help, an offer to be smuggled) goes to its page before anything else, whatever
state the conversation is in.

While a question of the offer check (``risk:<question>``) is pending, yes and no in any form (a
button, a command word, a number, a typed label, an affirm/deny the NLU understood) answer it,
and what cannot be an answer (an out-of-range number, text about no topic) asks it again;
commands such as "menu" and other topics still leave it.
"""

import re

from bot.content import MENU
from bot.messages import Media
from bot.staff import FEEDBACK_CHOICE, WITH_STAFF
from bot.turn import (
    HANDOFF_ANSWER,
    HANDOFF_CHOICE,
    HANDOFF_TEXT_STEPS,
    LANGUAGE_CHOICE,
    PAGE_CHOICE,
    PENDING_HANDOFF,
    WAITING_CHOICE,
    Route,
    Turn,
    age_band,
)
from nlu.base import SAFETY_INTENTS, URGENT_INTENT, Parse, Understander
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
RISK_PAGE = "risk_check"
"""The offer check's pages (the intro, its questions, its results); pressing any starts it."""
RISK_START = "risk:start"
RISK_PREFIX = "risk:"
"""Pending ``risk:<question>``; answer buttons ``risk:<question>:yes`` / ``risk:<question>:no``."""
RISK_ANSWER_CONFIDENCE = 0.9
"""Free text answers an offer-check question only when the NLU is this sure it is a yes or a no
("nuk e di", I don't know, must not count as a no): otherwise the question is asked again."""
AMBIGUITY_MARGIN = 0.15
"""Two topics closer than this in confidence: ask which one was meant."""
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")
_AGE = re.compile(r"\b(\d{1,3})\b")

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
        if WITH_STAFF in turn.state.data:
            return Route("to_staff")  # the person is told something came they cannot see
        return Route("welcome") if turn.is_new_user else Route("media")
    folded = fold(inbound.text)
    command = turn.content.command(folded)
    if (handoff := await _handoff_route(turn, nlu, command)) is not None:
        return handoff
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
        return _risk_again(turn) or Route("fallback")
    turn.parse = await nlu.parse(inbound.text)
    return _from_parse(turn, turn.parse)


def _from_command(turn: Turn, command: str) -> Route:
    if (question := _risk_question(turn)) and command in ("yes", "no"):
        return Route("risk_answer", f"{question}:{command}")
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
    if (question := _risk_question(turn)) is not None:
        if intent in ("affirm", "deny") and parse.intent.confidence >= RISK_ANSWER_CONFIDENCE:
            return Route("risk_answer", f"{question}:{'yes' if intent == 'affirm' else 'no'}")
        if page is None:
            return Route("risk_ask", question)
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
    return _risk_again(turn) or (Route("out_of_range") if offered else Route("fallback"))


def _from_choice(turn: Turn, choice_id: str) -> Route:
    """A pressed button may be from a message of last month: anything unknown gets the fallback."""
    if (handoff := _handoff_choice(turn, choice_id)) is not None:
        return handoff
    if choice_id.startswith(PAGE_CHOICE):
        page_id = choice_id.removeprefix(PAGE_CHOICE)
        if page_id == MENU:
            return Route("menu")
        if page_id == RISK_PAGE or page_id.startswith(RISK_PAGE + "."):
            return Route("risk_start")
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
    if choice_id.startswith(RISK_PREFIX):
        return _from_risk_choice(turn, choice_id)
    return Route("fallback")


def _from_risk_choice(turn: Turn, choice_id: str) -> Route:
    """The offer check's buttons: start, or an answer to the question pending now. A button of
    an earlier question re-asks the current one; with no question pending, it is stale."""
    if choice_id == RISK_START:
        return Route("risk_start")
    question, _, answer = choice_id.removeprefix(RISK_PREFIX).partition(":")
    current = _risk_question(turn)
    if current is None:
        return Route("fallback")
    if question == current and answer in ("yes", "no"):
        return Route("risk_answer", f"{question}:{answer}")
    return Route("risk_ask", current)


def _risk_question(turn: Turn) -> str | None:
    """The offer-check question waiting for an answer, if one is."""
    pending = turn.state.pending
    if pending is None or not pending.startswith(RISK_PREFIX):
        return None
    return pending.removeprefix(RISK_PREFIX) or None


def _risk_again(turn: Turn) -> Route | None:
    """While an offer-check question waits, what cannot be an answer asks it again."""
    question = _risk_question(turn)
    return Route("risk_ask", question) if question else None


_STAFF_COMMANDS = ("start", "menu", "stop", "delete")
"""What a young person can still ask of the bot while a person has the conversation."""
_YES_NO_ANSWERS = {"consent": ("yes", "no"), "confirm": ("send", "cancel")}
"""Referral questions that a typed yes or no answers."""


async def _handoff_route(turn: Turn, nlu: Understander, command: str | None) -> Route | None:
    """While a person has the conversation, the young person's words go to them (except a few
    commands, and danger, which also gets the urgent page). While a referral question waits,
    what they type answers it if it can: a number or label of its choices, yes or no, a town
    of the county, an age, a phone number, a line of their own; a question about another topic
    leaves it; anything else asks it again. Otherwise None."""
    step = _handoff_step(turn)
    with_staff = WITH_STAFF in turn.state.data
    if command in _STAFF_COMMANDS or (step is None and not with_staff):
        return None
    if not with_staff and step in _YES_NO_ANSWERS and command in ("yes", "no"):
        return _yes_no_answer(str(step), command == "yes")
    choosing = not with_staff and step not in HANDOFF_TEXT_STEPS
    if choosing and command is not None:
        return None
    if choosing and (picked := _picked(turn, str(step))) is not None:
        return picked
    turn.parse = await nlu.parse(turn.inbound.text)
    urgent = turn.content.page_for(URGENT_INTENT, {})
    if turn.parse.intent.name == URGENT_INTENT and urgent is not None:
        return Route("page", urgent)
    if with_staff:
        return Route("to_staff")
    if not choosing:
        return Route("handoff_answer", f"{step}:")
    return _understood(turn, str(step), turn.parse)


def _picked(turn: Turn, step: str) -> Route | None:
    """A typed number or label of the question's choices; for the age question, an age."""
    folded = fold(turn.inbound.text)
    offered = turn.offered()
    if (number := _NUMBER.match(folded)) is not None:
        value = int(number.group(1))
        if 1 <= value <= len(offered):
            return _from_choice(turn, offered[value - 1].id)
        band = age_band(value) if step == "age" else None
        return Route("handoff_answer", f"{step}:{band or ''}")
    for choice in offered:
        if folded and fold(choice.label) == folded:
            return _from_choice(turn, choice.id)
    return None


def _understood(turn: Turn, step: str, parse: Parse) -> Route:
    """Free text for a choice: yes or no, a municipality, an age in words and digits ("jam 17
    vjec"); a question about a topic goes to it; the rest asks again."""
    intent = parse.intent.name
    if step in _YES_NO_ANSWERS and intent in ("affirm", "deny"):
        return _yes_no_answer(step, intent == "affirm")
    entities = parse.entity_values()
    if step == "municipality" and (towns := entities.get("municipality")):
        return Route("handoff_answer", f"municipality:{towns[0]}")
    if step == "age" and (digits := _AGE.search(turn.inbound.text)):
        return Route("handoff_answer", f"age:{age_band(int(digits.group(1))) or ''}")
    page = turn.content.page_for(intent, entities)
    if page is not None and intent not in ("greet", "affirm", "deny", "thanks"):
        return Route("page", page)
    return Route("handoff_answer", f"{step}:")


def _yes_no_answer(step: str, yes: bool) -> Route:
    """A yes or a no, in words, to a referral question that has those two answers."""
    return Route("handoff_answer", f"{step}:{_YES_NO_ANSWERS[step][0 if yes else 1]}")


def _handoff_choice(turn: Turn, choice_id: str) -> Route | None:
    """The buttons of the referral questions, of "talk to a person" and of "did it help?"."""
    if choice_id.startswith(HANDOFF_CHOICE):
        return Route("handoff", choice_id.removeprefix(HANDOFF_CHOICE))
    if choice_id.startswith(FEEDBACK_CHOICE):
        return Route("feedback", choice_id.removeprefix(FEEDBACK_CHOICE))
    if choice_id.startswith(HANDOFF_ANSWER):
        step, _, option = choice_id.removeprefix(HANDOFF_ANSWER).partition(":")
        current = _handoff_step(turn)
        if current is None:
            return Route("fallback")
        return Route("handoff_answer", f"{current}:{option if step == current else ''}")
    return None


def _handoff_step(turn: Turn) -> str | None:
    pending = turn.state.pending
    if pending is None or not pending.startswith(PENDING_HANDOFF):
        return None
    return pending.removeprefix(PENDING_HANDOFF)
