"""The console's session cookie: who is signed in, since when, and the form token, signed with
``WEB_SECRET_KEY`` (HMAC-SHA256, as the web chat signs its session ids).

A cookie is ``<member>.<issued>.<seen>.<nonce>.<signature>``; member 0 is a visitor who has
not signed in yet (the sign-in form needs a token too). It expires after :data:`IDLE` seconds
without a request and :data:`LONGEST` seconds after sign-in. The CSRF token of every form is
another HMAC of the nonce, so it is fixed for the session and a new one comes with each
sign-in. Whether the member is still active is asked of the database on every request
(:mod:`bot.web.console`), not of the cookie.
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

COOKIE = "youthbot_staff"
IDLE = 12 * 3600
LONGEST = 7 * 86400
REFRESH = 60
"""A request more than this many seconds after the cookie's last one renews its ``seen``."""
SHAPE = re.compile(r"^(\d{1,12})\.(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$")
_SESSION = b"console-session:"
_CSRF = b"console-csrf:"


@dataclass(frozen=True)
class Session:
    member_id: int
    """0: nobody has signed in."""
    issued: int
    seen: int
    nonce: str

    @property
    def signed_in(self) -> bool:
        return self.member_id > 0


class CookieSigner:
    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def new(self, member_id: int, now: float) -> Session:
        return Session(member_id, int(now), int(now), secrets.token_urlsafe(12))

    def seen(self, session: Session, now: float) -> Session:
        return Session(session.member_id, session.issued, int(now), session.nonce)

    def dump(self, session: Session) -> str:
        body = f"{session.member_id}.{session.issued}.{session.seen}.{session.nonce}"
        return f"{body}.{self._sign(_SESSION, body)}"

    def load(self, value: str | None, now: float) -> Session | None:
        """The session, or None when the cookie is missing, forged or expired."""
        found = SHAPE.match(value or "")
        if found is None:
            return None
        member, issued, seen, nonce, signature = found.groups()
        body = f"{member}.{issued}.{seen}.{nonce}"
        if not hmac.compare_digest(signature, self._sign(_SESSION, body)):
            return None
        if now - int(seen) > IDLE or now - int(issued) > LONGEST:
            return None
        return Session(int(member), int(issued), int(seen), nonce)

    def csrf(self, session: Session) -> str:
        return self._sign(_CSRF, session.nonce)

    def csrf_ok(self, session: Session, token: object) -> bool:
        return isinstance(token, str) and hmac.compare_digest(token, self.csrf(session))

    def _sign(self, purpose: bytes, body: str) -> str:
        mac = hmac.new(self._key, purpose + body.encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")
