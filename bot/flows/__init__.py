"""Conversation flows, each declared in one module: the referral questions (:mod:`.handoff`),
the offer check (:mod:`.risk_check`), the yes/no confirmations (:mod:`.confirm`), opting in
to alerts (:mod:`.alerts`) and the optional profile question (:mod:`.profile`).

The router asks :func:`pending` which question waits and lets that flow read the message;
handlers start flows (:func:`start`), ask again (:func:`ask_again`) and move them on through the
flow objects. No flow knows the router or the handlers.
"""

from collections.abc import Mapping
from typing import Any

from bot.flows import alerts, confirm, handoff, profile, risk_check
from bot.flows.base import Flow, Pending, Step, pending_of, set_pending
from bot.messages import Outbound
from bot.routes import AskAgain, Route
from bot.storage.models import ConversationState
from bot.turn import Turn

FLOWS: dict[str, Flow] = {
    flow.name: flow
    for flow in (handoff.FLOW, risk_check.FLOW, confirm.DELETE, confirm.UNSUBSCRIBE,
                 alerts.FLOW, profile.FLOW)
}


def pending(state: ConversationState) -> tuple[Flow, Step] | None:
    """The flow and the step whose question waits for an answer, if one does."""
    found = pending_of(state)
    flow = FLOWS.get(found.flow) if found else None
    step = flow.step(found.step) if flow and found else None
    return (flow, step) if flow and step else None


def press(choice_id: str, state: ConversationState) -> Route | None:
    """A pressed button that belongs to a flow; None when it is no flow's (or stale)."""
    waiting = pending(state)
    current = Pending(waiting[0].name, waiting[1].name) if waiting else None
    return next((r for f in FLOWS.values() if (r := f.press(choice_id, current))), None)


def start(turn: Turn, name: str, given: Mapping[str, Any] | None = None,
          before: str = "") -> Outbound:
    """Enter a flow afresh, with the answers already known in ``given`` (and facts about it,
    such as the topic): only the questions still missing are asked."""
    return FLOWS[name].start(turn, given, before=before)


def ask_again(turn: Turn, again: AskAgain) -> Outbound:
    return FLOWS[again.flow].ask_again(turn, again)


def clear_pending(state: ConversationState) -> None:
    """A pending question is answered now or lapses."""
    set_pending(state, None)


__all__ = ["FLOWS", "Flow", "Pending", "Step", "ask_again", "clear_pending", "pending", "press",
           "start"]
