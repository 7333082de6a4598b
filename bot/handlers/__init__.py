"""Conversation handlers: plain async functions from a :class:`~bot.turn.Turn` to replies.

The registry is explicit so a reader sees every route in one place.
"""

from collections.abc import Awaitable, Callable

from bot.handlers import fallback, language, menu, privacy, start, topics
from bot.messages import Outbound
from bot.turn import Turn

Handler = Callable[[Turn], Awaitable[list[Outbound]]]

HANDLERS: dict[str, Handler] = {
    "welcome": start.welcome,
    "menu": menu.show,
    "page": topics.show,
    "language": language.switch,
    "unsubscribe": privacy.unsubscribe,
    "delete_data": privacy.ask_to_delete,
    "delete_confirmed": privacy.erase,
    "delete_cancelled": privacy.keep,
    "out_of_range": fallback.out_of_range,
    "media": fallback.media,
    "fallback": fallback.not_understood,
}
