"""Who may do what on the staff side: one table, by role.

Partners see and act only on referrals routed to their organisation (the referral's
``partner``). Giving back a referral someone else holds is reassigning it, so it takes the right
to reassign. Everything else in the table holds for any open referral.
"""

from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    PARTNER = "partner"
    """A partner organisation's worker: casework on the referrals routed to that organisation."""
    VIEWER = "viewer"
    """Sees the queue (without contact details) and the reports; changes nothing."""


class Permission(StrEnum):
    CLAIM = "claim"
    ANSWER = "answer"
    NOTE = "note"
    CLOSE = "close"
    REASSIGN = "reassign"
    UNCLAIM = "unclaim"
    SEE_CONTACT = "see_contact"
    LIST_QUEUE = "list_queue"
    MANAGE_OPPORTUNITIES = "manage_opportunities"
    SEE_REPORTS = "see_reports"
    MANAGE_STAFF = "manage_staff"


P = Permission
_CASEWORK = frozenset({P.CLAIM, P.ANSWER, P.NOTE, P.CLOSE, P.UNCLAIM, P.SEE_CONTACT,
                       P.LIST_QUEUE})

ALLOWED: dict[Role, frozenset[Permission]] = {
    Role.CASEWORKER: _CASEWORK,
    Role.SUPERVISOR: _CASEWORK | {P.REASSIGN, P.MANAGE_OPPORTUNITIES, P.SEE_REPORTS},
    Role.ADMIN: frozenset(Permission),
    Role.PARTNER: _CASEWORK,
    Role.VIEWER: frozenset({P.LIST_QUEUE, P.SEE_REPORTS}),
}
"""The table: what each role may do."""
SCOPED_TO_PARTNER = frozenset({Role.PARTNER})
"""Roles that act only on referrals routed to their own organisation."""


class Member(Protocol):
    id: int
    role: str
    active: bool
    partner: str | None


class Routed(Protocol):
    partner: str | None
    claimed_by_id: int | None


def role_of(member: Member) -> Role | None:
    try:
        return Role(member.role)
    except ValueError:
        return None


def may(member: Member | None, permission: Permission, referral: Routed | None = None) -> bool:
    """Whether ``member`` may do this (to ``referral``, when it is about one)."""
    role = role_of(member) if member is not None else None
    if member is None or role is None or not member.active:
        return False
    if permission not in ALLOWED[role]:
        return False
    if referral is None:
        return True
    if role in SCOPED_TO_PARTNER and (member.partner is None
                                      or referral.partner != member.partner):
        return False
    if permission is P.UNCLAIM and referral.claimed_by_id not in (None, member.id):
        return P.REASSIGN in ALLOWED[role]
    return True


def partner_scope(member: Member) -> str | None:
    """The organisation whose referrals alone this member sees (None: they see all)."""
    return (member.partner or "") if role_of(member) in SCOPED_TO_PARTNER else None


class Consented(Routed, Protocol):
    partner_consent: str | None


def sees_personal(member: Member | None, referral: Consented | None = None) -> bool:
    """Whether ``member`` sees a young person's phone number and free-text words. A partner's
    worker only on a referral whose consent named their organisation (the topic goes to it:
    ``REFERRAL_PARTNERS``); one handed to them later was not agreed to."""
    if not may(member, P.SEE_CONTACT, referral) or member is None:
        return False
    if role_of(member) not in SCOPED_TO_PARTNER:
        return True
    return referral is not None and referral.partner_consent == member.partner
