"""Web-chat session ids: random, signed with ``WEB_SECRET_KEY``, and nothing else.

A session id is ``<random>.<issued>.<signature>``: 18 random bytes, the Unix second it was
issued, and an HMAC-SHA256 over both. The chat's address (the outbox's and the user's) is
another HMAC of the random part, so the database holds nothing a browser could present, and
nothing in either identifies the person. An id whose signature does not match was forged or
signed with another key; one issued more than ``RETENTION_DAYS`` ago is expired unless its
conversation is still alive (the caller asks the database).
"""

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

SHAPE = re.compile(r"^([A-Za-z0-9_-]{24})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$")
_SESSION = b"webchat-session:"
_ADDRESS = b"webchat-address:"


@dataclass(frozen=True)
class Session:
    """A session id that passed its signature check."""

    address: str
    issued: int

    def older_than(self, seconds: float, now: float | None = None) -> bool:
        return (time.time() if now is None else now) - self.issued > seconds


class SessionSigner:
    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def new(self, now: float | None = None) -> str:
        """A fresh session id."""
        random_part = secrets.token_urlsafe(18)
        issued = str(int(time.time() if now is None else now))
        return f"{random_part}.{issued}.{self._sign(random_part, issued)}"

    def check(self, session_id: str) -> Session | None:
        """The session, or None when the id is malformed or its signature does not match."""
        found = SHAPE.match(session_id)
        if found is None:
            return None
        random_part, issued, signature = found.groups()
        if not hmac.compare_digest(signature, self._sign(random_part, issued)):
            return None
        return Session(self._address(random_part), int(issued))

    def _sign(self, random_part: str, issued: str) -> str:
        mac = hmac.new(self._key, _SESSION + f"{random_part}.{issued}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()[:16]).decode().rstrip("=")

    def _address(self, random_part: str) -> str:
        mac = hmac.new(self._key, _ADDRESS + random_part.encode(), hashlib.sha256)
        return "w" + mac.hexdigest()[:32]
