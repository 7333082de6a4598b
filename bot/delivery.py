"""Delivering the outbox: each channel's sender takes its pending replies in order."""

import logging
from collections.abc import Awaitable, Callable

from bot.messages import Outbound
from bot.storage.repositories import as_outbound
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger("youthbot.delivery")

Send = Callable[[str, Outbound], Awaitable[None]]
"""A channel's way to put one reply in front of the user at an address."""


async def deliver_pending(
    unit_of_work: Callable[[], UnitOfWork], channel: str, send: Send, address: str | None = None
) -> int:
    """Send what is waiting, oldest first; stop at a chat's first failure so order holds.

    Returns how many were delivered. A failed reply stays pending (with the error noted) for the
    next round; later replies to the same address wait behind it.
    """
    delivered = 0
    blocked: set[str] = set()
    async with unit_of_work() as uow:
        for message in await uow.outbox.pending(channel, address):
            if message.address in blocked:
                continue
            try:
                await send(message.address, as_outbound(message))
            except Exception as error:  # noqa: BLE001 - any send failure leaves it queued
                blocked.add(message.address)
                log.warning("send failed", extra={"fields": {"outbox_id": message.id,
                                                              "error": type(error).__name__}})
                await uow.outbox.mark_failed(message.id, type(error).__name__)
            else:
                await uow.outbox.mark_sent(message.id)
                delivered += 1
            await uow.commit()
    return delivered
