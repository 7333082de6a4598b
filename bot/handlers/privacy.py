"""Stopping messages and deleting everything the bot holds about a user."""

from bot.messages import Choice, Outbound
from bot.routing import DELETE_NO, DELETE_YES, PENDING_DELETE
from bot.turn import Turn


async def unsubscribe(turn: Turn) -> list[Outbound]:
    turn.user.unsubscribed_at = turn.now
    return [Outbound(turn.t("unsubscribe.done"))]


async def ask_to_delete(turn: Turn) -> list[Outbound]:
    turn.state.pending = PENDING_DELETE
    choices = (Choice(DELETE_YES, turn.t("delete.yes")), Choice(DELETE_NO, turn.t("delete.no")))
    return [Outbound(turn.t("delete.ask"), choices)]


async def erase(turn: Turn) -> list[Outbound]:
    """Erase the user with their messages and state; the reply is the last trace, sent and gone."""
    reply = Outbound(turn.t("delete.done"))
    await turn.uow.users.delete_with_history(turn.user)
    turn.erased = True
    return [reply]


async def keep(turn: Turn) -> list[Outbound]:
    turn.state.pending = None
    return [Outbound(turn.t("delete.kept"))]
