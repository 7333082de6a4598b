"""Leadership: work that must run in exactly one process at a time, whatever runs where.

Several ``youthbot run`` processes may share one PostgreSQL database. Some work must be done by
one of them only: the sender of each push channel (so one process holds the channel's rate
budget, e.g. ``TELEGRAM_MAX_RATE``) and the scheduler (so a periodic job runs once). Each such
part is an :class:`Election` for a named lock (:mod:`bot.storage.advisory`):

- every candidate tries the lock every ``retry`` seconds; the one that gets it leads and runs
  the work until it stops leading;
- the leader probes its lock's connection every ``check`` seconds; when the connection is gone
  (the database restarted, the network broke), the lock may be someone else's already, so the
  work is cancelled at once and the process becomes a candidate again;
- when a leader dies, even by SIGKILL, the database ends its session and frees the lock, and
  another candidate leads within about ``retry`` + ``grace`` seconds. A leader that lost its
  lock but lives lets the others try first.

A new leader first waits ``grace`` seconds (see :data:`GRACE`) before it works, so a previous
leader that lost its connection has noticed and stopped by then. The outbox's row leases
(:data:`bot.delivery.outbox.LEASE`) stay as the safety net underneath.

On SQLite there is one process: it leads at once and for good.
"""

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextlib import suppress
from typing import Any

from bot.storage.advisory import AdvisoryLocks, HeldLock

log = logging.getLogger("youthbot.leadership")

RETRY = 1.0
"""Seconds between a candidate's tries for the lock."""
CHECK = 1.0
"""Seconds between a leader's probes of its lock's connection."""
GRACE = CHECK + 2.0
"""Seconds a new leader waits before it works: a previous leader whose connection broke
notices within ``CHECK`` seconds plus its probe's timeout, and stops."""

Work = Callable[[], Coroutine[Any, Any, None]]
"""What a leader does: runs until cancelled, and cleans up when it is."""


class Election:
    """Runs ``work`` while this process holds the lock ``name``; :meth:`start` and :meth:`stop`
    fit the web app's lifespan."""

    def __init__(
        self, locks: AdvisoryLocks, name: str, work: Work, *,
        retry: float = RETRY, check: float = CHECK, grace: float = GRACE,
    ) -> None:
        self.name = name
        self._locks = locks
        self._work = work
        self._retry = retry
        self._check = check
        self._grace = grace if locks.shared else 0.0
        self._task: asyncio.Task[None] | None = None
        self.leading = asyncio.Event()
        """Set while the work runs here (for tests and the log)."""

    def start(self) -> None:
        self._task = asyncio.create_task(self._campaign(), name=f"election {self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _campaign(self) -> None:
        while True:
            try:
                lock = await self._locks.try_acquire(self.name)
            except Exception as error:  # noqa: BLE001 - the database is away: try again later
                log.warning("lock unavailable", extra={"fields": {
                    "lock": self.name, "error": type(error).__name__}})
                lock = None
            if lock is None:
                await asyncio.sleep(self._retry)
                continue
            try:
                await self._lead(lock)
            finally:
                self.leading.clear()
                await lock.release()
            await asyncio.sleep(self._grace + self._retry)  # the other candidates go first

    async def _lead(self, lock: HeldLock) -> None:
        """Run the work until the lock is lost (then return) or the election stops (cancel)."""
        log.info("leading", extra={"fields": {"lock": self.name}})
        await asyncio.sleep(self._grace)
        self.leading.set()
        work = asyncio.create_task(self._work(), name=f"leader {self.name}")
        try:
            while not work.done():
                await asyncio.wait({work}, timeout=self._check)
                if not work.done() and not await lock.held():
                    log.warning("leadership lost", extra={"fields": {"lock": self.name}})
                    break
        finally:
            work.cancel()
            await asyncio.wait({work})  # never raises: the election goes on (or is cancelled)
            if not work.cancelled() and work.exception() is not None:
                log.error("leader's work failed", exc_info=work.exception(),
                          extra={"fields": {"lock": self.name}})
