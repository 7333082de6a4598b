"""Conversation handlers: plain async functions from a :class:`~bot.turn.Turn` to replies.

The registry is explicit so a reader sees every route in one place.
"""

from collections.abc import Awaitable, Callable

from bot.handlers import (
    fallback,
    handoff,
    language,
    menu,
    privacy,
    risk_check,
    smalltalk,
    start,
    topics,
)
from bot.messages import Outbound
from bot.turn import Turn

Handler = Callable[[Turn], Awaitable[list[Outbound]]]

HANDLERS: dict[str, Handler] = {
    "welcome": start.welcome,
    "menu": menu.show,
    "waiting": menu.waiting_delivered,
    "page": topics.show,
    "did_you_mean": topics.did_you_mean,
    "thanks": smalltalk.thanks,
    "goodbye": smalltalk.goodbye,
    "language": language.switch,
    "unsubscribe": privacy.unsubscribe,
    "unsubscribe_ask": privacy.ask_to_unsubscribe,
    "unsubscribe_cancelled": privacy.keep_subscribed,
    "delete_data": privacy.ask_to_delete,
    "delete_confirmed": privacy.erase,
    "delete_cancelled": privacy.keep,
    "risk_start": risk_check.start,
    "risk_answer": risk_check.answer,
    "risk_ask": risk_check.ask_again,
    "out_of_range": fallback.out_of_range,
    "media": fallback.media,
    "fallback": fallback.not_understood,
    "handoff": handoff.start,
    "handoff_answer": handoff.answer,
    "to_staff": handoff.to_staff,
    "feedback": handoff.feedback,
}
