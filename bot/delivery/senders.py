"""This process's senders: one outbox worker per push channel, each with its channel's policy.

The composition root adds every channel it built (:meth:`Deliveries.add`). Where a channel's
sender runs is the process role's business (:mod:`bot.roles`): in one process the web app starts
every sender after the channels and stops them before; with several, only the channel's elected
sender runs its worker (:meth:`Deliveries.take_over`). A channel's input half never holds a
worker: it gets a :class:`ChannelOutbox`, which wakes this process's sender for a chat after a
turn and tells the policy when the platform refused a message for its window.
"""

import logging
from typing import Literal, Protocol

from bot.delivery.outbox import IMMEDIATE, OutboxWorker
from bot.delivery.policy import Hold, OnHold, Policy, Window, WindowPolicy
from bot.messages import Outbound
from bot.storage.models import OutboxMessage
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

DeliveryMode = Literal["push", "pull"]
"""``push``: a sender delivers each reply to the platform. ``pull``: the client reads them
(the web chat), so any worker serves any session and there is no sender."""

log = logging.getLogger("youthbot.delivery")


class Deliverable(Protocol):
    """What delivery needs of a channel's output half."""

    @property
    def name(self) -> str: ...
    @property
    def delivery(self) -> DeliveryMode: ...
    @property
    def window(self) -> Window | None: ...
    async def send(self, address: str, reply: Outbound) -> str | None: ...


class Deliveries:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory, default_locale: str,
        on_hold: OnHold | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._default_locale = default_locale
        self._on_hold = on_hold
        self._policies: dict[str, Policy] = {}
        self._workers: dict[str, OutboxWorker] = {}
        self._running: set[str] = set()

    def outbox(self, channel: str) -> "ChannelOutbox":
        """What the channel's input half may ask of delivery (before the channel is added)."""
        return ChannelOutbox(self, channel)

    def add(self, output: Deliverable) -> None:
        """Deliver this channel's rows: its policy, and a sender if it is a push channel."""
        policy = (WindowPolicy(output.window, self._default_locale, self._on_hold)
                  if output.window is not None else IMMEDIATE)
        self._policies[output.name] = policy
        if output.delivery == "push":
            self._workers[output.name] = OutboxWorker(self._uow, output.name, output.send,
                                                      policy)

    def policy(self, channel: str) -> Policy:
        return self._policies.get(channel, IMMEDIATE)

    def may_hold(self, channel: str) -> bool:
        """Whether the channel's rows can ever be held: not on a channel added without a
        window; on one not (yet) added, assume they can."""
        return self._policies.get(channel) is not IMMEDIATE

    def worker(self, channel: str) -> OutboxWorker | None:
        return self._workers.get(channel)

    @property
    def push_channels(self) -> tuple[str, ...]:
        """The channels that have a sender (whether it runs in this process or not)."""
        return tuple(self._workers)

    def notify(self, channel: str, address: str) -> None:
        """Deliver the chat's rows now (the fast path after a turn); a no-op where this
        process's sender for the channel does not run (another process's sweep finds them)."""
        if channel in self._running:
            self._workers[channel].notify(address)

    def sweep_soon(self) -> None:
        """Rows were written for chats nobody just handled (a staff action writes to the staff
        group and to a young person on any channel): every sender of this process looks now."""
        for channel in self._running:
            self._workers[channel].sweep_soon()

    def start(self, channel: str | None = None, *, sweep_every: float | None = None) -> None:
        """Send one push channel's rows here (every one's without ``channel``), sweeping every
        ``sweep_every`` seconds for rows this process did not write itself."""
        for name in (channel,) if channel is not None else tuple(self._workers):
            if name not in self._running:
                self._workers[name].start(sweep_every)
                self._running.add(name)

    async def take_over(self, channel: str, *, sweep_every: float | None = None) -> None:
        """Become the channel's one sender: rows leased by a sender that is gone are free
        now (only call it while no other process sends on the channel), then :meth:`start`."""
        async with self._uow(autocommit=True) as uow:
            freed = await uow.outbox.release_leases(channel)
            await uow.commit()
        if freed:
            log.info("leases freed", extra={"fields": {"channel": channel, "rows": freed}})
        self.start(channel, sweep_every=sweep_every)

    async def stop(self, channel: str) -> None:
        """Stop sending the channel's rows here; the deliveries under way finish first."""
        if channel in self._running:
            self._running.discard(channel)
            await self._workers[channel].shutdown()

    async def shutdown(self) -> None:
        """Stop every sender of this process and let the deliveries under way finish."""
        for channel in tuple(self._running):
            await self.stop(channel)

    async def drained(self) -> None:
        """Wait until every delivery started so far has finished (for shutdown and tests)."""
        for worker in self._workers.values():
            await worker.drained()


class ChannelOutbox:
    """One channel's view of delivery, for its input half."""

    def __init__(self, deliveries: Deliveries, channel: str) -> None:
        self._deliveries = deliveries
        self.channel = channel

    def notify(self, address: str) -> None:
        self._deliveries.notify(self.channel, address)

    def sweep_soon(self) -> None:
        self._deliveries.sweep_soon()

    async def refused(self, uow: UnitOfWork, message: OutboxMessage) -> Hold:
        """The platform refused a sent row for its window: the policy holds the chat in
        ``uow``; after the commit, pass what this returns to :meth:`announce`."""
        return await self._deliveries.policy(self.channel).refused(uow, message)

    async def announce(self, address: str, hold: Hold) -> None:
        await self._deliveries.policy(self.channel).announce(self.channel, address, hold)
