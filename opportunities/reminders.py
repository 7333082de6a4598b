"""Deadline reminders: three days before an opportunity's deadline, one message to each young
person who asked for it after saying "I'm interested" (never to anyone who did not), written to
the outbox as an ``alert`` (the bot writes first: outside WhatsApp's window that takes the
approved template). Sent once: the reminder is marked in the transaction that writes the
message, and a second scheduler skips the rows the first has locked. A reminder whose
opportunity is no longer open, or whose young person said stop or blocked the bot, is dropped
unsent.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from bot.messages import Outbound
from bot.storage.catalogue import Opportunity
from bot.storage.models import User
from bot.storage.unit_of_work import UnitOfWork

DAYS_BEFORE = 3
BATCH = 200


def remind_on(deadline: date) -> date:
    return deadline - timedelta(days=DAYS_BEFORE)


Wording = Callable[[str, Opportunity], str]
"""The reminder's text in a language (the conversation's words live with the bot)."""


async def send_due(unit_of_work: Callable[[], UnitOfWork], wording: Wording,
                   now: datetime) -> int:
    """Every reminder due by ``now``'s day, a batch a transaction; how many were written."""
    today, written = now.date(), 0
    while True:
        async with unit_of_work() as uow:
            due = await uow.reminders.due_locked(today, BATCH)
            dropped = []
            for reminder, user, opportunity in due:
                if opportunity is None or not _still_wanted(user, opportunity, today):
                    dropped.append(reminder.id)
                    continue
                uow.outbox.put(user.channel, user.address, user,
                               Outbound(wording(user.locale, opportunity)), kind="alert")
                reminder.sent_at = now
                written += 1
            await uow.reminders.drop(dropped)
            await uow.commit()
        if len(due) < BATCH:
            return written


def _still_wanted(user: User, opportunity: Opportunity, today: date) -> bool:
    still_open = opportunity.published and opportunity.deadline is not None \
        and opportunity.deadline >= today
    return still_open and user.unsubscribed_at is None and user.unreachable_at is None
