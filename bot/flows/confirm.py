"""Yes/no confirmations, as data: deleting everything the bot holds, and stopping messages when
asked in words (a misunderstanding must not cost anything).

A confirmation is one question whose buttons are ``confirm:yes`` and ``confirm:no``; yes and no
in any form answer it (a button, a command word, a number, a label, the NLU's affirm/deny). What
cannot be an answer is not asked again: the question lapses and the message is read as if it had
not been asked. Each leads to its own route; nothing is kept in ``state.data``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.flows.base import Flow, Option, Pending, Step, Unknown
from bot.flows.interpret import NO, YES, YesNo
from bot.i18n import N_
from bot.messages import Outbound
from bot.routes import Route, RouteName
from bot.turn import Turn
from nlu.base import SAFETY_INTENTS

CHOICE_PREFIX = "confirm:"
STEP = "confirm"


@dataclass(frozen=True)
class Confirmation(Flow):
    yes_route: RouteName = RouteName.FALLBACK
    no_route: RouteName = RouteName.FALLBACK

    def start(self, turn: Turn, given: Mapping[str, Any] | None = None,
              before: str = "") -> Outbound:
        """Ask; there is nothing to remember but the question itself."""
        return self.ask(turn, self.steps[0], before=before)

    def choice_id(self, step: Step, option: str) -> str:
        return CHOICE_PREFIX + option

    def decode(self, choice_id: str) -> tuple[str, str] | None:
        if not choice_id.startswith(CHOICE_PREFIX):
            return None
        return STEP, choice_id.removeprefix(CHOICE_PREFIX)

    def press(self, choice_id: str, pending: Pending | None) -> Route | None:
        """``confirm:yes|no`` with this question pending; else not this flow's (a stale one,
        or the other confirmation's)."""
        decoded = self.decode(choice_id)
        if decoded is None or pending != Pending(self.name, STEP) or decoded[1] not in (YES, NO):
            return None
        return self.answered(self.steps[0], decoded[1])

    def answered(self, step: Step, value: str) -> Route:
        return Route(self.yes_route if value == YES else self.no_route)

    def retry(self, step: Step) -> Route:
        """Never asked again (``on_unknown`` is LEAVE): what cannot answer it is read anew."""
        return Route(RouteName.FALLBACK)


def _confirmation(name: str, ask: str, yes: str, no: str, yes_route: RouteName,
                  no_route: RouteName) -> Confirmation:
    return Confirmation(
        name=name, choice_prefix=CHOICE_PREFIX, answer_route=yes_route,
        ask_route=RouteName.FALLBACK,
        interrupts=SAFETY_INTENTS, on_unknown=Unknown.LEAVE, yes_route=yes_route,
        no_route=no_route,
        steps=(Step(STEP, ask, options=(Option(YES, yes), Option(NO, no)), fills=(YesNo(),)),),
    )


DELETE = _confirmation("delete", N_("delete.ask"), N_("delete.yes"), N_("delete.no"),
                       RouteName.DELETE_CONFIRMED, RouteName.DELETE_CANCELLED)
UNSUBSCRIBE = _confirmation("unsubscribe", N_("unsubscribe.ask"), N_("unsubscribe.yes"),
                            N_("unsubscribe.no"), RouteName.UNSUBSCRIBE,
                            RouteName.UNSUBSCRIBE_CANCELLED)
