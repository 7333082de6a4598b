"""Delivering the outbox: each channel's sender takes its pending replies, in order per chat.

A channel's ``send`` raises one of the errors of :mod:`bot.delivery.errors` to say what went
wrong; anything else counts as a passing failure and is tried again later. The channel's
delivery policy (:mod:`bot.delivery.policy`) first decides whether each row goes out as it is,
as a template, or waits. One reply is leased at a time, never before an older reply to the same
chat, so several processes can send without sending twice or out of order.

Every statement here is atomic by itself and safe to repeat after a crash (a lease runs out, a
reply is sent again, a 403 marks the user again), so they run without a transaction around
them (``autocommit``): that saves a BEGIN and a COMMIT round trip for each.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Row

from bot.delivery.errors import Held, Moved, Rejected, RetryLater, Unreachable
from bot.delivery.policy import Hold, Policy, UseTemplate
from bot.locks import KeyedLocks
from bot.messages import Outbound
from bot.storage.repositories import as_outbound
from bot.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("youthbot.delivery")

Send = Callable[[str, Outbound], Awaitable[str | None]]
"""A channel's way to put one reply in front of the user at an address; returns the platform's
id for the sent message, if it has one worth keeping (status callbacks name it)."""

RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)
"""Backoff between attempts for one chat; after the last, the periodic sweep takes over."""
LEASE = timedelta(seconds=60)
"""How long a claimed reply is this sender's; a sender that died frees it after this."""


@dataclass(frozen=True)
class Outcome:
    delivered: int
    retry_after: float | None = None


IMMEDIATE = Policy()
"""The policy of a channel with no window: everything goes out at once."""


async def deliver_chat(
    unit_of_work: UnitOfWorkFactory, channel: str, send: Send, address: str,
    policy: Policy = IMMEDIATE,
) -> Outcome:
    """Send the chat's pending replies oldest first, until done or a failure stops the chat.

    Each reply is leased in one short transaction and settled in the next (which leases the
    following one): no database connection waits on the platform's answer.
    """
    delivered = 0
    async with unit_of_work(autocommit=True) as uow:
        message = await uow.outbox.claim_next(channel, address, LEASE)
        if message is None:
            await uow.outbox.join_held(channel, address)
        await uow.commit()
    while message is not None:
        fields = {"channel": channel, "outbox_id": message.id}
        provider_id, failure = None, None
        try:  # outside the unit of work: on PostgreSQL it holds a connection from the start
            provider_id = await _dispatch(unit_of_work, policy, send, message)
        except Exception as error:  # noqa: BLE001 - settled below, by its kind
            failure = error
        async with unit_of_work(autocommit=True) as uow:
            try:
                if failure is not None:
                    raise failure
            except Unreachable:
                log.info("user unreachable", extra={"fields": fields})
                await uow.users.mark_unreachable(channel, address)
                await uow.commit()
                return Outcome(delivered)
            except Moved as error:
                log.info("chat moved", extra={"fields": fields})
                await uow.outbox.mark_failed(message.id, "moved")
                await uow.outbox.readdress(channel, address, error.new_address)
                await uow.commit()
                more = await deliver_chat(unit_of_work, channel, send, error.new_address, policy)
                return Outcome(delivered + more.delivered, more.retry_after)
            except Rejected as error:
                log.error("reply rejected", extra={"fields": {**fields, "error": str(error)}})
                await uow.outbox.mark_failed(message.id, str(error), abandon=True)
                await uow.outbox.forget(message.id)  # if they erased their data: nothing left
                message = await uow.outbox.claim_next(channel, address, LEASE)
            except Held as error:
                log.info("replies held", extra={"fields": {**fields, "reason": error.reason}})
                await uow.outbox.hold(channel, address, error.reason)
                await uow.commit()
                return Outcome(delivered)
            except RetryLater as error:
                await uow.outbox.mark_failed(message.id, "retry later")
                await uow.commit()
                return Outcome(delivered, error.after)
            except Exception as error:  # noqa: BLE001 - a passing failure: tried again later
                log.warning("send failed", extra={"fields": {**fields,
                                                              "error": type(error).__name__}})
                await uow.outbox.mark_failed(message.id, type(error).__name__)
                await uow.commit()
                return Outcome(delivered, RETRY_DELAYS[0])
            else:
                message = await uow.outbox.sent_then_next(message, provider_id, LEASE)
                delivered += 1
            await uow.commit()
    return Outcome(delivered)


async def _dispatch(
    unit_of_work: UnitOfWorkFactory, policy: Policy, send: Send, message: Row[Any]
) -> str | None:
    """The row as the policy decides: sent, sent as a template, or (announced, then) held.
    The policy reads the database in a short unit of work of its own, closed before the
    platform is called (no lock or connection waits on its answer)."""
    decision = await policy.decide(unit_of_work, message)
    if isinstance(decision, Hold):
        # The notice first: if it fails nothing is held, and the row is tried again.
        await policy.announce(message.channel, message.address, decision)
        raise Held(decision.reason)
    if isinstance(decision, UseTemplate):
        return await policy.send_template(message.address, decision.template,
                                          as_outbound(message))
    return await send(message.address, as_outbound(message))


async def deliver_pending(
    unit_of_work: UnitOfWorkFactory, channel: str, send: Send, address: str | None = None,
    policy: Policy = IMMEDIATE,
) -> int:
    """One pass over every chat with pending replies (or one chat); returns how many went out."""
    if address is not None:
        return (await deliver_chat(unit_of_work, channel, send, address, policy)).delivered
    async with unit_of_work(autocommit=True) as uow:
        addresses = await uow.outbox.pending_addresses(channel)
    delivered = 0
    for each in addresses:
        delivered += (await deliver_chat(unit_of_work, channel, send, each, policy)).delivered
    return delivered


class OutboxWorker:
    """Delivers a channel's replies as soon as a turn has written them, and sweeps for leftovers.

    ``notify(address)`` starts (or extends) that chat's delivery at once: the fast path.
    ``run()`` sweeps every ``interval`` seconds for replies left by failures or by other
    processes. Within this process one task per chat keeps its replies in order.
    """

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, channel: str, send: Send,
        policy: Policy = IMMEDIATE, interval: float = 2.0,
    ) -> None:
        self._uow = unit_of_work
        self._channel = channel
        self._send = send
        self._policy = policy
        self._interval = interval
        self._chats = KeyedLocks()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._sweeper: asyncio.Task[None] | None = None

    def start(self, interval: float | None = None) -> None:
        """Start sweeping in the background (see :meth:`run`), again after :meth:`shutdown`."""
        if interval is not None:
            self._interval = interval
        self._stopping.clear()
        self._sweeper = asyncio.create_task(self.run())

    async def shutdown(self) -> None:
        """Stop sweeping and let the deliveries under way finish."""
        self.stop()
        if self._sweeper is not None:
            await self._sweeper
        await self.drained()

    def notify(self, address: str) -> None:
        task = asyncio.create_task(self._drain(address))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, address: str) -> None:
        try:
            async with self._chats.hold(address):
                for delay in (*RETRY_DELAYS, None):
                    outcome = await deliver_chat(self._uow, self._channel, self._send, address,
                                                 self._policy)
                    if outcome.retry_after is None or delay is None:
                        return
                    await asyncio.sleep(max(outcome.retry_after, delay))
        except Exception:
            # E.g. no database connection free in time: the rows stay, the next sweep sends them.
            log.exception("delivery failed, the sweep tries again",
                          extra={"fields": {"channel": self._channel}})

    async def run(self) -> None:
        """Sweep until :meth:`stop` (between sweeps, never in the middle of a query)."""
        while not self._stopping.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                async with self._uow(autocommit=True) as uow:
                    addresses = await uow.outbox.pending_addresses(self._channel)
                for address in addresses:
                    if not self._chats.busy(address):
                        self.notify(address)
            except Exception:
                log.exception("outbox sweep failed", extra={"fields": {"channel": self._channel}})

    def sweep_soon(self) -> None:
        """Sweep now rather than at the next interval (replies were written for chats this
        process did not just handle, e.g. by a staff action)."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def drained(self) -> None:
        """Wait until every delivery started so far has finished (for shutdown and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
