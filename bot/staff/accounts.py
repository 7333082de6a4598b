"""Staff accounts: adding, listing and disabling members; passwords (argon2); who a Telegram
user is on the staff side.

``TELEGRAM_STAFF_USER_IDS`` keeps working: those ids become active caseworkers at start
(:func:`ensure_caseworkers`), and one who acts before that is made one then. A member with no
name yet takes their Telegram first name the first time they act in the staff group.
"""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.staff.permissions import Role
from bot.storage.models import StaffMember, utcnow
from bot.storage.unit_of_work import UnitOfWork

NAME_MAX = 120
PASSWORD_MIN = 8
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A member cannot be added or changed like that (the message says why, for operators)."""


@dataclass(frozen=True)
class TelegramUser:
    """Someone acting in the staff group, as Telegram names them."""

    id: int
    first_name: str | None = None


@dataclass(frozen=True)
class MemberId:
    """A staff member already known by id (e.g. a web console session)."""

    id: int


Actor = StaffMember | TelegramUser | MemberId
"""Whoever a staff action is done by: a member, or a way to find one."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


def email_address(text: str) -> str:
    email = text.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise AccountError(f"not an e-mail address: {text[:80]!r}")
    return email


def role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise AccountError(
            f"unknown role {text[:40]!r}; one of {', '.join(r.value for r in Role)}") from None


def display_name(member: StaffMember) -> str:
    """How staff know a member: their name; else their Telegram id or member number."""
    if member.name:
        return member.name
    return str(member.telegram_id) if member.telegram_id is not None else f"#{member.id}"


async def add_member(
    uow: UnitOfWork, *, email: str, name: str, role_name: str, password: str,
    telegram_id: int | None = None, partner: str | None = None,
) -> StaffMember:
    """A new active member (the caller commits)."""
    address, level = email_address(email), role(role_name)
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise AccountError(f"a name of 1 to {NAME_MAX} characters is needed")
    partner = (partner or "").strip() or None
    if level is Role.PARTNER and partner is None:
        raise AccountError("a partner member needs --partner ORGANISATION")
    if await uow.staff.by_email(address) is not None:
        raise AccountError(f"{address} is already a staff member")
    if telegram_id is not None and await uow.staff.by_telegram_id(telegram_id) is not None:
        raise AccountError(f"Telegram id {telegram_id} is already a staff member's")
    now = utcnow()
    member = uow.staff.add(StaffMember(
        name=name, role=level.value, email=address, password_hash=hash_password(password),
        telegram_id=telegram_id, partner=partner, active=True, created_at=now, updated_at=now))
    await uow.staff.flush()
    return member


async def set_password(
    uow: UnitOfWork, email: str, password: str, telegram_id: int | None = None,
) -> StaffMember:
    """A new password for the member with this e-mail (the caller commits). With
    ``telegram_id``: the member with that Telegram id (e.g. a caseworker of
    ``TELEGRAM_STAFF_USER_IDS``) gets this e-mail too, to sign in to the web console."""
    address = email_address(email)
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"the password needs {PASSWORD_MIN} characters or more")
    if telegram_id is None:
        member = await uow.staff.by_email(address)
        if member is None:
            raise AccountError(f"no staff member {address}")
    else:
        member = await uow.staff.by_telegram_id(telegram_id)
        if member is None:
            raise AccountError(f"no staff member has Telegram id {telegram_id}")
        if member.email not in (None, address):
            raise AccountError(f"Telegram id {telegram_id} is {member.email}'s")
        other = await uow.staff.by_email(address)
        if other is not None and other.id != member.id:
            raise AccountError(f"{address} is already another staff member's")
        member.email = address
    member.password_hash, member.updated_at = hash_password(password), utcnow()
    return member


async def disable(uow: UnitOfWork, email: str) -> StaffMember | None:
    """The member may no longer act (kept: the audit trail names them)."""
    member = await uow.staff.by_email(email_address(email))
    if member is not None:
        member.active, member.updated_at = False, utcnow()
    return member


async def ensure_caseworkers(uow: UnitOfWork, telegram_ids: Iterable[int]) -> int:
    """Each Telegram id with no member yet becomes an active caseworker; returns how many."""
    known = await uow.staff.telegram_ids()
    now, added = utcnow(), 0
    for telegram_id in sorted(set(telegram_ids) - known):
        uow.staff.add(StaffMember(name="", role=Role.CASEWORKER.value, telegram_id=telegram_id,
                                  active=True, created_at=now, updated_at=now))
        added += 1
    await uow.staff.flush()
    return added


async def resolve(
    uow: UnitOfWork, actor: Actor, listed: frozenset[int] = frozenset()
) -> StaffMember | None:
    """The active member ``actor`` is, or None. A Telegram user in ``listed`` (the settings'
    staff ids) with no member yet becomes a caseworker now."""
    if isinstance(actor, StaffMember):
        member: StaffMember | None = actor
    elif isinstance(actor, MemberId):
        member = await uow.staff.get(actor.id)
    else:
        member = await uow.staff.by_telegram_id(actor.id)
        if member is None and actor.id in listed:
            await ensure_caseworkers(uow, (actor.id,))
            member = await uow.staff.by_telegram_id(actor.id)
        if member is not None and not member.name and actor.first_name:
            member.name = actor.first_name.strip()[:NAME_MAX]
    return member if member is not None and member.active else None
