"""Delivery: the outbox workers (:mod:`.outbox`), the policies that decide what goes out when
(:mod:`.policy`), the senders of this process (:mod:`.senders`) and the errors a channel's
``send`` raises (:mod:`.errors`)."""

from bot.delivery.errors import Held, Moved, Rejected, RetryLater, Unreachable
from bot.delivery.outbox import OutboxWorker, Send, deliver_chat, deliver_pending
from bot.delivery.policy import KINDS, Kind, Policy, Window, WindowPolicy
from bot.delivery.senders import ChannelOutbox, Deliverable, Deliveries, DeliveryMode

__all__ = [
    "KINDS", "ChannelOutbox", "Deliverable", "Deliveries", "DeliveryMode", "Held", "Kind",
    "Moved", "OutboxWorker", "Policy", "Rejected", "RetryLater", "Send", "Unreachable",
    "Window", "WindowPolicy", "deliver_chat", "deliver_pending",
]
