"""What the case page reads besides the referral itself: the conversation between staff and the
young person about it, WhatsApp's 24-hour window, the members it may be handed to and the
partner organisations it may be closed with.

The conversation is the message log's rows of this young person with the relay's routes: what
they wrote while a person had their request (``to_staff``) and what staff wrote to them
(``staff_answer``), from the referral's creation to its closing; never their chat with the bot.
Who wrote each answer comes from the referral's ``answered`` events (one per answer, written in
the same transaction), matched from the newest, since retention deletes the oldest log rows
first while the audit trail stays.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery.policy import window_open
from bot.staff.accounts import display_name
from bot.staff.permissions import Permission, Role, may, role_of
from bot.staff.relay import STAFF_ANSWER
from bot.storage.models import Referral
from bot.storage.unit_of_work import UnitOfWork

FROM_USER = "to_staff"
"""The message log's route of what the young person wrote while a person had their request."""
WHATSAPP = "whatsapp"
WHATSAPP_WINDOW = timedelta(hours=24) - timedelta(minutes=5)
"""As ``bot.channels.whatsapp.WINDOW`` (which the console may not import; a test holds them
equal): the delivery policy's window, five minutes inside WhatsApp's 24 hours."""


@dataclass(frozen=True)
class Said:
    """One message of the conversation: ``by`` a member's name, or None for the young person."""

    at: datetime
    text: str
    from_staff: bool
    by: str | None


@dataclass(frozen=True)
class WindowState:
    """A WhatsApp referral's window: open (until ``until``) or closed (since ``until``);
    ``until`` None when the young person is gone."""

    open: bool
    until: datetime | None


@dataclass(frozen=True)
class Candidate:
    """A member a referral may be handed to: ``key`` is what ``StaffActions.reassign`` finds
    them by (their e-mail, else their name)."""

    member_id: int
    key: str
    name: str
    partner: str | None


async def conversation(uow: UnitOfWork, referral: Referral) -> tuple[Said, ...]:
    if referral.user_id is None:
        return ()
    rows = await uow.conversations.logged(referral.user_id, (FROM_USER, STAFF_ANSWER),
                                          referral.created_at, referral.closed_at)
    answers = [row for row in rows if row.route == STAFF_ANSWER]
    answered = [e for e in await uow.referrals.events(referral.id) if e.kind == "answered"]
    names = await uow.staff.by_ids({e.staff_member_id for e in answered
                                    if e.staff_member_id is not None})
    writers = [display_name(names[e.staff_member_id]) if e.staff_member_id in names else None
               for e in reversed(answered)]
    by = {row.id: name for row, name in zip(reversed(answers), writers, strict=False)}
    return tuple(Said(row.created_at, row.text, row.route == STAFF_ANSWER, by.get(row.id))
                 for row in rows)


async def window(uow: UnitOfWork, referral: Referral, now: datetime) -> WindowState | None:
    """The window of a WhatsApp referral that is still open (None otherwise)."""
    if referral.channel != WHATSAPP or referral.closed_at is not None:
        return None
    user = await uow.users.by_id(referral.user_id) if referral.user_id is not None else None
    if user is None:
        return WindowState(False, None)
    return WindowState(window_open(user.last_seen_at, now, WHATSAPP_WINDOW),
                       user.last_seen_at + WHATSAPP_WINDOW)


async def candidates(uow: UnitOfWork, referral: Referral) -> tuple[Candidate, ...]:
    """Active members who may take referrals, but the one holding it; a member known only by a
    Telegram id is left out (``reassign`` finds members by e-mail or name)."""
    found = []
    for member in await uow.staff.listing():
        key = member.email or member.name
        if (not key or member.id == referral.claimed_by_id
                or not may(member, Permission.CLAIM)):
            continue
        found.append(Candidate(member.id, key, display_name(member), member.partner
                               if role_of(member) is Role.PARTNER else None))
    return tuple(found)


async def partners(uow: UnitOfWork) -> tuple[str, ...]:
    """The partner organisations: those of the partner members (active or not) and those
    referrals were closed with or routed to, in alphabetical order."""
    members = await uow.staff.listing()
    named = {m.partner for m in members if role_of(m) is Role.PARTNER and m.partner}
    used = await uow.conversations.partners()
    return tuple(sorted(named | used, key=str.casefold))


def only_listed(chosen: Sequence[str] | str | None, listed: Sequence[str]) -> str | None:
    """The partner chosen, if it is one of the list (else None)."""
    return chosen if isinstance(chosen, str) and chosen in listed else None
