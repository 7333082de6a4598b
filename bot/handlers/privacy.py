"""Stopping messages and deleting everything the bot holds about a user.

Typed as a command ("stop"), stopping happens at once; understood from free text, the bot asks
first, as it always does before deleting: a misunderstanding must not cost anything. The two
questions are declared in :mod:`bot.flows.confirm`.
"""

from bot import flows
from bot.flows.confirm import DELETE, UNSUBSCRIBE
from bot.messages import Outbound
from bot.staff.notices import STAFF_CHANNEL
from bot.turn import Turn
from referrals.erasure import number_forms
from referrals.queue import ReferralQueue
from reports import kept
from reports.funnel_steps import TALKED


async def unsubscribe(turn: Turn) -> list[Outbound]:
    """No more messages: the alerts they asked for end too (writing again later lifts the stop,
    not the alerts)."""
    turn.user.unsubscribed_at = turn.now
    await turn.uow.alerts.remove(turn.user.id)
    return [Outbound(turn.t("unsubscribe.done"))]


async def ask_to_unsubscribe(turn: Turn) -> list[Outbound]:
    return [flows.start(turn, UNSUBSCRIBE.name)]


async def keep_subscribed(turn: Turn) -> list[Outbound]:
    return [Outbound(turn.t("unsubscribe.kept"))]


async def ask_to_delete(turn: Turn) -> list[Outbound]:
    return [flows.start(turn, DELETE.name)]


async def erase(turn: Turn) -> list[Outbound]:
    """Erase the user with their messages and state; the reply is the last trace, sent and gone
    (``bot.storage.repositories.outbox``: ``erase_after_send`` and ``scrub``). What the reports
    counted of them stays, as counts (:mod:`reports.kept`)."""
    reply, user, uow = Outbound(turn.t("delete.done")), turn.user, turn.uow
    await uow.kept_counts.add(kept.tallies(await uow.kept_counts.facts(user, TALKED)))
    contacts = [referral.contact for referral in await uow.referrals.for_user_locked(user.id)]
    withdrawn = await ReferralQueue(uow.referrals).withdraw_for_user(user.id)
    await uow.alerts.remove(user.id)
    await uow.users.delete_with_history(user)
    for referral in withdrawn:
        turn.staff.withdrawn(uow, referral)
    # Nothing may name them once the reply is sent: not the outbox, nor the staff group's cards.
    uow.outbox.erase_after_send(user.channel, user.address)
    chat = (user.channel, user.address)
    await uow.outbox.scrub(number_forms(user.address, *contacts), STAFF_CHANNEL, chat)
    turn.erased = True
    return [reply]


async def keep(turn: Turn) -> list[Outbound]:
    return [Outbound(turn.t("delete.kept"))]
