"""This process's senders: one outbox worker per push channel, each with its channel's policy.

The composition root adds every channel it built (:meth:`Deliveries.add`); the web app starts
the senders after the channels and stops them before. A channel's input half never holds a
worker: it gets a :class:`ChannelOutbox`, which wakes this process's sender for a chat after a
turn and tells the policy when the platform refused a message for its window.
"""

from typing import Literal, Protocol

from bot.delivery.outbox import IMMEDIATE, OutboxWorker
from bot.delivery.policy import Hold, OnHold, Policy, Window, WindowPolicy
from bot.messages import Outbound
from bot.storage.models import OutboxMessage
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

DeliveryMode = Literal["push", "pull"]
"""``push``: a sender delivers each reply to the platform. ``pull``: the client reads them
(the web chat), so any worker serves any session and there is no sender."""


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
        self._stopped = False

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

    def worker(self, channel: str) -> OutboxWorker | None:
        return self._workers.get(channel)

    def notify(self, channel: str, address: str) -> None:
        """Deliver the chat's rows now (the fast path after a turn); a no-op once stopped or
        where this process has no sender for the channel (the periodic sweep finds them)."""
        worker = self._workers.get(channel)
        if worker is not None and not self._stopped:
            worker.notify(address)

    def sweep_soon(self) -> None:
        """Rows were written for chats nobody just handled (a staff action writes to the staff
        group and to a young person on any channel): every sender looks now."""
        for worker in self._workers.values():
            worker.sweep_soon()

    def start(self) -> None:
        self._stopped = False
        for worker in self._workers.values():
            worker.start()

    async def shutdown(self) -> None:
        """Stop sweeping and let the deliveries under way finish."""
        self._stopped = True
        for worker in self._workers.values():
            await worker.shutdown()

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
