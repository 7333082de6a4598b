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
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.staff.permissions import Role
from bot.storage.models import StaffMember, utcnow
from bot.storage.unit_of_work import UnitOfWork

NAME_MAX = 120
PASSWORD_MIN = 8
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
_hasher = PasswordHasher()


Reason = Literal["email", "name", "role", "partner", "taken", "telegram", "password",
                 "missing", "wrong_password", "last_admin"]
"""Why an account change was refused, for a page to say in the catalogs' words (the field
``email``, ``name``, ``role``, ``partner`` or ``password`` is wrong; the e-mail is ``taken``;
there is no such member; the current password is wrong; it would leave no active admin)."""


class AccountError(ValueError):
    """A member cannot be added or changed like that (the message says why, for operators;
    ``reason`` the same for a page)."""

    def __init__(self, message: str, reason: Reason = "missing") -> None:
        super().__init__(message)
        self.reason: Reason = reason


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
        raise AccountError(f"not an e-mail address: {text[:80]!r}", "email")
    return email


def role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise AccountError(
            f"unknown role {text[:40]!r}; one of {', '.join(r.value for r in Role)}",
            "role") from None


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
        raise AccountError(f"a name of 1 to {NAME_MAX} characters is needed", "name")
    partner = (partner or "").strip() or None
    if level is Role.PARTNER and partner is None:
        raise AccountError("a partner member needs --partner ORGANISATION", "partner")
    if await uow.staff.by_email(address) is not None:
        raise AccountError(f"{address} is already a staff member", "taken")
    if telegram_id is not None and await uow.staff.by_telegram_id(telegram_id) is not None:
        raise AccountError(f"Telegram id {telegram_id} is already a staff member's",
                           "telegram")
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
        raise AccountError(f"the password needs {PASSWORD_MIN} characters or more",
                           "password")
    if telegram_id is None:
        member = await uow.staff.by_email(address)
        if member is None:
            raise AccountError(f"no staff member {address}")
    else:
        member = await uow.staff.by_telegram_id(telegram_id)
        if member is None:
            raise AccountError(f"no staff member has Telegram id {telegram_id}")
        if member.email not in (None, address):
            raise AccountError(f"Telegram id {telegram_id} is {member.email}'s", "telegram")
        other = await uow.staff.by_email(address)
        if other is not None and other.id != member.id:
            raise AccountError(f"{address} is already another staff member's", "taken")
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


# For the console's staff pages: a member known by id; who may do it is the caller's check.

def password_ok(password: str) -> str:
    """``password`` if it is long enough to set."""
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"the password needs {PASSWORD_MIN} characters or more", "password")
    return password


async def by_id(uow: UnitOfWork, member_id: int) -> StaffMember:
    member = await uow.staff.get(member_id)
    if member is None:
        raise AccountError(f"no staff member #{member_id}")
    return member


async def _keeps_an_admin(uow: UnitOfWork, member: StaffMember) -> None:
    """Refuse to take the last active admin's role or access: no one could manage staff."""
    if member.role != Role.ADMIN.value or not member.active:
        return
    admins = [m for m in await uow.staff.listing() if m.role == Role.ADMIN.value and m.active]
    if [m.id for m in admins] == [member.id]:
        raise AccountError("the last active admin must stay one", "last_admin")


async def change_role(uow: UnitOfWork, member_id: int, role_name: str,
                      partner: str | None = None) -> StaffMember:
    """The member's new role (a partner's worker: with their organisation; the caller
    commits)."""
    member, level = await by_id(uow, member_id), role(role_name)
    partner = (partner or "").strip()[:120] or None
    if level is Role.PARTNER and partner is None:
        raise AccountError("a partner member needs an organisation", "partner")
    if level is not Role.ADMIN:
        await _keeps_an_admin(uow, member)
    member.role, member.updated_at = level.value, utcnow()
    member.partner = partner if level is Role.PARTNER else None
    return member


async def set_active(uow: UnitOfWork, member_id: int, active: bool) -> StaffMember:
    """Disable (kept: the audit trail names them) or enable again; the caller commits."""
    member = await by_id(uow, member_id)
    if not active:
        await _keeps_an_admin(uow, member)
    member.active, member.updated_at = active, utcnow()
    return member


async def reset_password(uow: UnitOfWork, member_id: int, password: str | None = None
                         ) -> tuple[StaffMember, str]:
    """The given password, or a generated one, set for the member; the member and the
    password (to show once). The caller commits."""
    member = await by_id(uow, member_id)
    password = password_ok(password) if password else one_time_password()
    member.password_hash, member.updated_at = hash_password(password), utcnow()
    return member, password


async def change_own_password(uow: UnitOfWork, member_id: int, current: str,
                              new: str) -> StaffMember:
    """A member's own new password, once they give the current one; the caller commits."""
    member = await by_id(uow, member_id)
    if not verify_password(member.password_hash, current):
        raise AccountError("the current password is wrong", "wrong_password")
    member.password_hash, member.updated_at = hash_password(password_ok(new)), utcnow()
    return member
