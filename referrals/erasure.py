"""What happens to referrals when their young person deletes their data.

Open referrals are withdrawn (staff stop working on them); every referral of theirs loses its
personal fields and its staff notes; the audit trail says so with a ``withdrawn`` or ``erased``
line that names no one. Called before the user's row goes (``bot.handlers.privacy``), in the
same transaction.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from referrals import lifecycle
from referrals.lifecycle import Action, EventKind
from referrals.store import ReferralRecord, ReferralStore

ERASED_TO: dict[str, Any] = {"municipality": None, "age_band": None, "gender": None,
                             "contact": None, "summary": None, "answers": {}}
"""Each personal field (``lifecycle.PERSONAL_FIELDS``) and the value it is erased to."""
WITHDRAWN_FROM = frozenset(lifecycle.OPEN)
"""The statuses a referral is withdrawn from: staff had still to act on it."""


MIN_DIGITS = 6
"""Fewer digits than this are no phone number or Telegram id (a test address, "chat")."""


def number_forms(*numbers: str | None) -> set[str]:
    """The forms an erased person's numbers (their address, a contact they gave) may be
    written in, to be taken out of the texts that stay. The digits alone are within every
    international form ("whatsapp:+355…", "+355…", "00355…"); an Albanian number is also
    written nationally ("069…")."""
    forms = set()
    for number in numbers:
        digits = "".join(c for c in number or "" if c.isdigit())
        if len(digits) < MIN_DIGITS:
            continue
        forms.add(digits)
        if digits.startswith("355"):
            forms.add("0" + digits[3:])
    return forms


def erased_value(name: str) -> Any:
    value = ERASED_TO[name]
    return dict(value) if isinstance(value, dict) else value


async def erase_for_user(
    store: ReferralStore, user_id: int, at: datetime
) -> list[ReferralRecord]:
    """Withdraw the user's open referrals and erase what every one of theirs holds about them;
    returns the ones withdrawn. Doing it twice changes nothing more."""
    referrals: Sequence[Any] = await store.for_user_locked(user_id)
    noted = await store.clear_notes([r.id for r in referrals])
    withdrawn = []
    for referral in referrals:
        personal = [getattr(referral, name) for name in ERASED_TO]
        if referral.status in WITHDRAWN_FROM:
            referral.status = lifecycle.transition(referral.status, Action.WITHDRAW).value
            withdrawn.append(referral)
            store.record(referral, EventKind.WITHDRAWN, at)
        elif any(personal) or referral.id in noted:
            store.record(referral, EventKind.ERASED, at)
        else:
            continue  # erased before
        for name in ERASED_TO:
            setattr(referral, name, erased_value(name))
        referral.updated_at = at
    await store.flush()
    return withdrawn

