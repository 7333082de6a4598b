"""The periodic jobs, run by the one scheduler leader (``youthbot run --role scheduler`` or
``all``; :mod:`bot.roles`, :mod:`bot.leadership`).

A job is a name, how often, and a coroutine that does one round and returns how many things it
wrote to the outbox, so the senders can be woken. Every job runs once as soon as this process
starts leading (a job must be safe to run again early: each one locks and checks what it
changes), then every ``every`` seconds. A job that fails is logged and tried at its next turn.
Adding a job is one line in :func:`jobs`.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from bot.handlers.opportunity_text import reminder_text
from bot.i18n import Translator
from bot.retention import run_retention
from bot.staff import StaffDesk
from bot.storage.catalogue import Opportunity
from bot.storage.unit_of_work import UnitOfWork
from opportunities import reminders
from opportunities.broadcast import Broadcaster

log = logging.getLogger("youthbot.scheduler")

REALERT_EVERY = 60.0
"""Seconds between looks for referrals nobody has claimed in time, or nobody has answered."""
ALERTS_EVERY = 30.0
"""Seconds between looks for newly published opportunities to send to their subscribers."""
RETENTION_EVERY = 3600.0
"""Seconds between retention rounds: hourly keeps every table within a day of the limit, and
each round after the first has little to delete."""
DEADLINE_REMINDERS_EVERY = 3600.0
"""Seconds between looks for deadline reminders due today (they are due by the day)."""


@dataclass(frozen=True)
class Job:
    name: str
    every: float
    """Seconds between rounds."""
    run: Callable[[], Awaitable[int]]
    """One round; returns how many outbox rows (or other changes) it wrote."""


def jobs(
    desk: StaffDesk, unit_of_work: Callable[[], UnitOfWork], retention_days: int,
    translators: Mapping[str, Translator] | None = None,
    alerts: Broadcaster | None = None,
) -> list[Job]:
    """Every periodic job, one line each. ``translators``: the young people's languages, for
    the deadline reminders (none without); ``alerts``: the opportunities' broadcast."""
    async def retention() -> int:
        counts = await run_retention(unit_of_work, datetime.now(UTC), retention_days)
        if counts.total:
            log.info("retention done", extra={"fields": asdict(counts)})
        return 0  # it writes nothing for the senders

    def wording(locale: str, opportunity: Opportunity) -> str:
        assert translators
        return reminder_text(translators.get(locale) or next(iter(translators.values())),
                             opportunity)

    async def deadline_reminders() -> int:
        return await reminders.send_due(unit_of_work, wording, datetime.now(UTC))

    listed = [
        Job("referral re-alerts", REALERT_EVERY, desk.realert),
        Job("referral reminders", REALERT_EVERY, desk.remind),
        Job("retention", RETENTION_EVERY, retention),
    ]
    if translators:
        listed.append(Job("deadline reminders", DEADLINE_REMINDERS_EVERY, deadline_reminders))
    if alerts is not None:
        listed.append(Job("opportunity alerts", ALERTS_EVERY, alerts.run))
    return listed


class Scheduler:
    """Runs its jobs on time until cancelled (the leader's work)."""

    def __init__(
        self, jobs: Sequence[Job], wrote: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._jobs = tuple(jobs)
        self._wrote = wrote
        """Called after a round that wrote something (wakes this process's senders)."""
        self._clock = clock

    async def run(self) -> None:
        due = [self._clock()] * len(self._jobs)
        while True:
            for number, job in enumerate(self._jobs):
                if due[number] <= self._clock():
                    await self._round(job)
                    due[number] = self._clock() + job.every
            await asyncio.sleep(max(0.0, min(due) - self._clock()))

    async def _round(self, job: Job) -> None:
        try:
            written = await job.run()
        except Exception:
            log.exception("job failed", extra={"fields": {"job": job.name}})
            return
        if written:
            log.info("job done", extra={"fields": {"job": job.name, "written": written}})
            self._wrote()
