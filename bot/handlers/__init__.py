"""Conversation handlers: plain async functions from a :class:`~bot.turn.Turn` to replies.

The registry is explicit so a reader sees every route in one place.
"""

from collections.abc import Awaitable, Callable

from bot.handlers import (
    alerts,
    fallback,
    handoff,
    language,
    menu,
    opportunities,
    privacy,
    profile,
    risk_check,
    smalltalk,
    start,
    topics,
)
from bot.messages import Outbound
from bot.routes import RouteName as R
from bot.turn import Turn

Handler = Callable[[Turn], Awaitable[list[Outbound]]]

HANDLERS: dict[R, Handler] = {
    R.WELCOME: start.welcome,
    R.MENU: menu.show,
    R.WAITING: menu.waiting_delivered,
    R.PAGE: topics.show,
    R.DID_YOU_MEAN: topics.did_you_mean,
    R.THANKS: smalltalk.thanks,
    R.GOODBYE: smalltalk.goodbye,
    R.LANGUAGE: language.switch,
    R.UNSUBSCRIBE: privacy.unsubscribe,
    R.UNSUBSCRIBE_ASK: privacy.ask_to_unsubscribe,
    R.UNSUBSCRIBE_CANCELLED: privacy.keep_subscribed,
    R.DELETE_DATA: privacy.ask_to_delete,
    R.DELETE_CONFIRMED: privacy.erase,
    R.DELETE_CANCELLED: privacy.keep,
    R.RISK_START: risk_check.start,
    R.RISK_ANSWER: risk_check.answer,
    R.RISK_ASK: risk_check.ask_again,
    R.OUT_OF_RANGE: fallback.out_of_range,
    R.MEDIA: fallback.media,
    R.SOURCES: topics.sources,
    R.FALLBACK: fallback.not_understood,
    R.HANDOFF: handoff.start,
    R.HANDOFF_ANSWER: handoff.answer,
    R.HANDOFF_ASK: handoff.ask_again,
    R.TO_STAFF: handoff.to_staff,
    R.FEEDBACK: handoff.feedback,
    R.OPPORTUNITIES: opportunities.show,
    R.INTERESTED: opportunities.interested,
    R.REMIND: opportunities.remind,
    R.ALERTS_SUBSCRIBE: alerts.subscribe,
    R.ALERTS_ANSWER: alerts.answer,
    R.ALERTS_ASK: alerts.ask_again,
    R.ALERTS_LIST: alerts.show,
    R.ALERTS_REMOVE: alerts.remove,
    R.PROFILE_ANSWER: profile.answer,
    R.PROFILE_ASK: profile.ask_again,
}
