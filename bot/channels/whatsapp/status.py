"""Twilio's status callbacks: how far each of our messages got, kept on its outbox row.

Callbacks arrive in any order, some twice, so a row's status only moves forward. A failure is
kept, sent again when that can help, or marks the user unreachable; a refusal for WhatsApp's
window (63016) goes to the delivery policy, which holds the chat and nudges the user.
"""

import asyncio
import logging

from bot.channels.whatsapp.sender import UNREACHABLE
from bot.delivery import ChannelOutbox, Rejected, RetryLater, Unreachable
from bot.storage.models import OutboxMessage
from bot.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("youthbot.whatsapp")

CHANNEL = "whatsapp"
STATUS_ORDER = {"accepted": 0, "queued": 0, "scheduled": 0, "sending": 1, "sent": 2,
                "undelivered": 3, "failed": 3, "delivered": 4, "read": 5}
"""How far a message got; a callback never moves a message back (they arrive in any order)."""
OUTSIDE_WINDOW = "63016"
RETRYABLE = frozenset({"30001", "30008", "63018", "63038"})
"""Queue overflow, unknown error, rate limit, daily limit: sending again later can help."""
MAX_ATTEMPTS = 5
CALLBACK_WAITS = (0.0, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
"""Pauses before each look for the message a status callback names (about 3 s in all)."""


class StatusCallbacks:
    def __init__(self, unit_of_work: UnitOfWorkFactory, outbox: ChannelOutbox) -> None:
        self._uow = unit_of_work
        self._outbox = outbox

    async def record(self, sid: str, status: str, error_code: str | None) -> None:
        """Twilio may call back before the sender has stored the SID it just got (the create's
        answer and the first callback leave Twilio together): then wait for it a little."""
        for delay in CALLBACK_WAITS:
            await asyncio.sleep(delay)
            if await self._apply(sid, status, error_code):
                return
        log.warning("status for an unknown message", extra={"fields": {"status": status}})

    async def _apply(self, sid: str, status: str, error_code: str | None) -> bool:
        """False when no sent reply has this SID (yet)."""
        async with self._uow() as uow:
            message = await uow.outbox.by_provider_id(CHANNEL, sid)
            if message is None:
                return False
            if message.erase_after_send:
                return True  # to someone who erased their data: nothing to do, nothing to keep
            if STATUS_ORDER[status] <= STATUS_ORDER.get(message.status or "", -1):
                return True  # old news: callbacks come in any order, some twice
            address = message.address
            failed = status in ("failed", "undelivered")
            requeue = failed and _worth_retrying(message, error_code)
            await uow.outbox.update_status(message, status, error_code, requeue=requeue)
            fields = {"outbox_id": message.id, "status": status, "error": error_code}
            if failed:
                log.warning("whatsapp delivery failed", extra={"fields": fields})
            if failed and error_code in UNREACHABLE:
                await uow.users.mark_unreachable(CHANNEL, address)
            held = None
            if failed and error_code == OUTSIDE_WINDOW:
                held = await self._outbox.refused(uow, message)
            await uow.commit()
        if held is not None:
            try:  # the reply waits already: a failed notice must not undo that
                await self._outbox.announce(address, held)
            except (RetryLater, Rejected, Unreachable) as error:
                log.warning("waiting template not sent",
                            extra={"fields": {"error": type(error).__name__}})
        elif requeue:
            self._outbox.notify(address)
        return True


def _worth_retrying(message: OutboxMessage, error_code: str | None) -> bool:
    if error_code == OUTSIDE_WINDOW:
        return True  # held, then sent again when the user writes
    return error_code in RETRYABLE and message.attempts < MAX_ATTEMPTS
