"""Signing in: e-mail and password (argon2, ``bot.staff.accounts``), with wrong guesses limited
per account and per client address. Attempts are rows in the database
(``console_sign_ins``), so every web worker on one PostgreSQL counts the same ones; they hold
keyed hashes of the e-mail and the address, never the values, and are kept a day.

:data:`ACCOUNT_LIMIT` wrong passwords for one e-mail (known or not, so the lock says nothing
about who is staff) lock it for :data:`LOCK` after the last of them, even for the right
password; :data:`ADDRESS_LIMIT` from one address, whatever the e-mail, the same. A success
clears the account's count. Every outcome is one audit line (``youthbot.console``) with the
hashes' first characters and the member's id, never the e-mail.
"""

import asyncio
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from bot.staff import accounts
from bot.storage.models import StaffMember
from bot.storage.unit_of_work import UnitOfWork

ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30
LOCK = timedelta(minutes=15)
KEEP = timedelta(days=1)
log = logging.getLogger("youthbot.console")


@cache
def _dummy() -> str:
    """A hash to verify against when the e-mail is unknown, so that takes as long."""
    return accounts.hash_password(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Attempt:
    outcome: str
    """``ok``, ``wrong`` or ``locked``."""
    member_id: int | None = None


class SignIn:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork], key: str,
                 clock: Callable[[], datetime]) -> None:
        self._uow = unit_of_work
        self._key = key.encode()
        self._clock = clock

    async def attempt(self, email: str, password: str, address: str) -> Attempt:
        now = self._clock()
        wanted = email.strip().lower()
        account, client = self._hash(b"account:", wanted), self._hash(b"address:", address)
        async with self._uow() as uow:
            locked = (await uow.sign_ins.failures(since=now - LOCK, address=client)
                      >= ADDRESS_LIMIT
                      or await uow.sign_ins.failures(since=now - LOCK, account=account)
                      >= ACCOUNT_LIMIT)
            member = None if locked else await self._member(uow, wanted)
            known = (member.id, member.password_hash) if member is not None else None
        result = Attempt("locked")
        if not locked:
            ok = await asyncio.to_thread(
                accounts.verify_password, known[1] if known else _dummy(), password)
            result = Attempt("ok", known[0]) if ok and known else Attempt("wrong")
        async with self._uow() as uow:
            uow.sign_ins.record(account, client, result.outcome, now)
            await uow.sign_ins.forget_before(now - KEEP)
            await uow.commit()
        log.info("console sign-in", extra={"fields": {
            "outcome": result.outcome, "member": result.member_id,
            "account": account[:12], "address": client[:12]}})
        return result

    async def _member(self, uow: UnitOfWork, email: str) -> StaffMember | None:
        try:
            address = accounts.email_address(email)
        except accounts.AccountError:
            return None
        member = await uow.staff.by_email(address)
        return member if member is not None and member.active else None

    def _hash(self, purpose: bytes, value: str) -> str:
        return hmac.new(self._key, purpose + value.encode(), hashlib.sha256).hexdigest()[:64]
