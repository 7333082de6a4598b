"""Retention: what is kept only for ``RETENTION_DAYS``.

Deleted when older than that: the message log (its rows are the texts; nothing counts them),
the platforms' processed delivery ids (no platform redelivers months later), and the text and
choices of outbox rows delivered or given up (emptied, not deleted: a staff reply to an old card
still finds its referral through the row, and a late status callback its message). Kept: users
(their first contact and campaign are the reach figures), campaign events, referrals with their
audit trail: every count ``reports`` gives for a past period stays the same. Outbox rows to
people who erased their data, settled and so already without address or text, are deleted
whatever their age. A web-chat session (a channel of :data:`SESSION_CHANNELS`, whose address is
a browser's session, not a person's account) with no message for that long is ended: its user
row stays for the figures, under an address no session id leads to.

Each batch is a transaction of its own, so a big table is never locked for long and a job cut
short keeps what it did. The scheduler calls :func:`run_retention` periodically, and
``youthbot retention run`` once.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.unit_of_work import UnitOfWork

BATCH = 1000
"""Rows a statement deletes or empties at most."""
SESSION_CHANNELS = ("web",)
"""Channels whose address is a session that ends when idle (the web chat's)."""


@dataclass(frozen=True)
class RetentionCounts:
    """What one run removed."""

    messages: int
    deliveries: int
    outbox_texts: int
    erased_rows: int = 0
    """Outbox rows to people who erased their data, deleted whatever their age."""
    sessions: int = 0
    """Web-chat sessions idle for the whole period, ended."""

    @property
    def total(self) -> int:
        return (self.messages + self.deliveries + self.outbox_texts + self.erased_rows
                + self.sessions)


async def run_retention(
    unit_of_work_factory: Callable[[], UnitOfWork], now: datetime, days: int, batch: int = BATCH,
) -> RetentionCounts:
    """Delete what is older than ``days`` days before ``now``; a second run finds nothing."""
    if days < 1:
        raise ValueError("days must be at least 1")
    before = now - timedelta(days=days)

    async def in_batches(step: Callable[[UnitOfWork], Awaitable[int]]) -> int:
        done = 0
        while True:
            async with unit_of_work_factory() as uow:
                count = await step(uow)
                await uow.commit()
            done += count
            if count < batch:
                return done

    def retire(channel: str) -> Callable[[UnitOfWork], Awaitable[int]]:
        return lambda uow: uow.pulled.retire_idle(channel, before, batch)

    sessions = 0
    for channel in SESSION_CHANNELS:
        sessions += await in_batches(retire(channel))
    return RetentionCounts(
        messages=await in_batches(lambda uow: uow.retention.delete_messages(before, batch)),
        deliveries=await in_batches(lambda uow: uow.retention.delete_deliveries(before, batch)),
        outbox_texts=await in_batches(
            lambda uow: uow.retention.clear_outbox_texts(before, batch)),
        erased_rows=await in_batches(lambda uow: uow.retention.delete_forgotten(batch)),
        sessions=sessions,
    )
