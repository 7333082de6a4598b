"""What a channel's ``send`` raises to say what went wrong, in terms the outbox understands.

Anything else a send raises counts as a passing failure and is tried again later.
"""


class RetryLater(Exception):
    """The platform asked us to slow down (HTTP 429) or was unreachable for a moment."""

    def __init__(self, after: float) -> None:
        super().__init__(f"retry after {after}s")
        self.after = after


class Unreachable(Exception):
    """The user blocked the bot: stop sending to them until they write again."""


class Moved(Exception):
    """The chat has a new address (a Telegram group became a supergroup): follow it."""

    def __init__(self, new_address: str) -> None:
        super().__init__(f"moved to {new_address}")
        self.new_address = new_address


class Rejected(Exception):
    """The platform refused this one reply for good (malformed, too long, ...)."""


class Held(Exception):
    """The reply may not go out now (a delivery policy said so: WhatsApp's 24-hour window is
    closed): the chat's replies wait until the user writes again. ``reason`` is kept on them
    for staff to see."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
