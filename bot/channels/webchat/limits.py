"""How much one browser, one session and one address may ask of the web chat.

Token buckets in this process: each key (a session, a client IP) holds up to ``burst`` tokens,
refilled at ``per_second``; a request takes one or is refused with the seconds until the next
one. Behind the load balancer each web worker counts for itself, so the limits a session meets
are at most the number of workers times these: they are there to stop a script, not to count
exactly. Keys are forgotten oldest first past ``max_keys``, so a flood of addresses cannot
grow the memory.
"""

import math
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    burst: float
    per_second: float


@dataclass(frozen=True)
class Limits:
    """The web chat's limits. An IP may stand for a whole school behind one router, so its
    limits are a class's, a session's a fast typist's."""

    session_messages: Rate = Rate(burst=12, per_second=0.5)
    ip_messages: Rate = Rate(burst=200, per_second=10)
    ip_sessions: Rate = Rate(burst=60, per_second=0.5)
    session_polls: Rate = Rate(burst=30, per_second=2)
    ip_polls: Rate = Rate(burst=600, per_second=60)
    body_bytes: int = 8_000
    """A message is at most 4,096 characters; with JSON's escapes well under this."""


class Buckets:
    def __init__(self, rate: Rate, max_keys: int = 100_000) -> None:
        self._rate = rate
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, now: float | None = None) -> int:
        """0 when ``key`` may go on (a token is taken), else the whole seconds to wait."""
        now = time.monotonic() if now is None else now
        tokens, then = self._buckets.pop(key, (self._rate.burst, now))
        tokens = min(self._rate.burst, tokens + (now - then) * self._rate.per_second)
        if tokens >= 1:
            self._keep(key, tokens - 1, now)
            return 0
        self._keep(key, tokens, now)
        return max(1, math.ceil((1 - tokens) / self._rate.per_second))

    def _keep(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self._max_keys:
            del self._buckets[next(iter(self._buckets))]


class Throttle:
    """The buckets of the web chat, by what is asked."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._session_messages = Buckets(limits.session_messages)
        self._ip_messages = Buckets(limits.ip_messages)
        self._ip_sessions = Buckets(limits.ip_sessions)
        self._session_polls = Buckets(limits.session_polls)
        self._ip_polls = Buckets(limits.ip_polls)

    def new_session(self, ip: str) -> int:
        return self._ip_sessions.take(ip)

    def message(self, ip: str, session: str) -> int:
        return self._ip_messages.take(ip) or self._session_messages.take(session)

    def poll(self, ip: str, session: str) -> int:
        return self._ip_polls.take(ip) or self._session_polls.take(session)
