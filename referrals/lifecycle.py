"""A referral's life: its statuses, the moves between them, priorities, outcomes, re-alerts.

Pure rules, no I/O. ``new -> claimed -> contacted -> closed``; ``claimed -> closed`` too (a
young person who never answers is closed as ``no_answer``); a claimed referral can be given
back (``unclaim``: new again) or handed to a colleague (``reassign``); any open referral
becomes ``withdrawn`` when its young person deletes their data. Storage keeps the values as
plain strings and is told which ones it queries (``bot.storage`` does not import this package).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar


class Status(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    CONTACTED = "contacted"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


OPEN = frozenset({Status.NEW, Status.CLAIMED, Status.CONTACTED})
"""Statuses staff still have to act on."""


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


PRIORITY_ORDER = (Priority.URGENT, Priority.HIGH, Priority.NORMAL)
"""Most pressing first: the order the queue hands referrals out in."""


class Outcome(StrEnum):
    """How a referral ended, for staff follow-up and donor reports."""

    ENROLLED_TRAINING = "enrolled_training"
    JOB_INTERVIEW = "job_interview"
    BUSINESS_SUPPORT = "business_support"
    LEGAL_MIGRATION_COUNSELLING = "legal_migration_counselling"
    NATIONAL_REFERRAL_MECHANISM_OR_POLICE = "national_referral_mechanism_or_police"
    NO_ANSWER = "no_answer"
    DECLINED = "declined"
    NOT_ELIGIBLE = "not_eligible"


class Action(StrEnum):
    CLAIM = "claim"
    UNCLAIM = "unclaim"
    REASSIGN = "reassign"
    CONTACT = "contact"
    ANSWER = "answer"
    NOTE = "note"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    REALERT = "realert"
    REMIND = "remind"


class EventKind(StrEnum):
    """What a line of a referral's audit trail records."""

    CREATED = "created"
    CLAIMED = "claimed"
    UNCLAIMED = "unclaimed"
    REASSIGNED = "reassigned"
    CONTACTED = "contacted"
    ANSWERED = "answered"
    NOTED = "noted"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"
    """A closed referral's personal fields were erased (its young person deleted their data)."""
    REALERTED = "realerted"
    REMINDED = "reminded"
    """Staff were reminded that the young person has had no answer for too long."""


EVENT_OF = {
    Action.CLAIM: EventKind.CLAIMED, Action.UNCLAIM: EventKind.UNCLAIMED,
    Action.REASSIGN: EventKind.REASSIGNED, Action.CONTACT: EventKind.CONTACTED,
    Action.ANSWER: EventKind.ANSWERED, Action.NOTE: EventKind.NOTED,
    Action.CLOSE: EventKind.CLOSED, Action.WITHDRAW: EventKind.WITHDRAWN,
    Action.REALERT: EventKind.REALERTED, Action.REMIND: EventKind.REMINDED,
}

TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.CLAIM: {Status.NEW: Status.CLAIMED},
    Action.UNCLAIM: {Status.CLAIMED: Status.NEW, Status.CONTACTED: Status.NEW},
    Action.REASSIGN: {Status.NEW: Status.CLAIMED, Status.CLAIMED: Status.CLAIMED,
                      Status.CONTACTED: Status.CONTACTED},
    Action.CONTACT: {Status.CLAIMED: Status.CONTACTED},
    Action.ANSWER: {Status.CLAIMED: Status.CLAIMED, Status.CONTACTED: Status.CONTACTED},
    Action.NOTE: {s: s for s in (Status.NEW, Status.CLAIMED, Status.CONTACTED, Status.CLOSED)},
    Action.CLOSE: {Status.CLAIMED: Status.CLOSED, Status.CONTACTED: Status.CLOSED},
    Action.WITHDRAW: {s: Status.WITHDRAWN for s in OPEN},
    Action.REALERT: {Status.NEW: Status.NEW},
    Action.REMIND: {Status.CLAIMED: Status.CLAIMED, Status.CONTACTED: Status.CONTACTED},
}
"""For each action, the statuses it is allowed from and the status it leads to.

An answer (a staff message relayed to the young person) needs someone to own the referral, so it
needs a claim first, and it changes no status: ``contacted`` is staff saying they reached the
young person. Notes may be added to anything but a withdrawn referral (whose data is gone).
Reassigning an unclaimed referral assigns it; unclaiming puts it back in the queue.
"""

HELD = frozenset({Status.CLAIMED, Status.CONTACTED})
"""Statuses in which a staff member has the referral."""

PERSONAL_FIELDS = ("municipality", "age_band", "gender", "contact", "summary", "answers")
"""What a referral holds about its young person; erased when they delete their data."""

REALERT_AFTER = {
    Priority.URGENT: timedelta(minutes=15),
    Priority.HIGH: timedelta(hours=24),
    Priority.NORMAL: timedelta(hours=24),
}
"""How long an unclaimed referral waits before staff are alerted again; each further alert
waits twice as long as the one before (15, 30, 60 … minutes for an urgent one)."""


REMIND_AFTER = {
    Priority.URGENT: timedelta(hours=4),
    Priority.HIGH: timedelta(hours=24),
    Priority.NORMAL: timedelta(hours=24),
}
"""How long a claimed referral may go without a staff answer before staff are reminded; once
reminded, the next reminder waits as long again."""


class IllegalTransition(ValueError):
    """The action is not allowed from the referral's status (e.g. closing an unclaimed one)."""

    def __init__(self, action: Action | str, status: Status | str) -> None:
        super().__init__(f"cannot {action}: referral is {status}")
        self.action, self.status = action, status


def transition(status: Status | str, action: Action | str) -> Status:
    """The status ``action`` leads to from ``status``; :class:`IllegalTransition` if none."""
    try:
        return TRANSITIONS[Action(action)][Status(status)]
    except (KeyError, ValueError):
        raise IllegalTransition(action, status) from None


def allowed(status: Status | str, action: Action | str) -> bool:
    try:
        transition(status, action)
    except IllegalTransition:
        return False
    return True


def outcome(code: str) -> Outcome:
    """The outcome named by ``code``; ValueError listing the known codes otherwise."""
    return _member(Outcome, code, "outcome")


def priority(name: str) -> Priority:
    return _member(Priority, name, "priority")


E = TypeVar("E", bound=StrEnum)


def _member(kind: type[E], value: str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise ValueError(f"unknown {what} {value!r}; known: {known}") from None


def realert_delay(level: Priority | str, alerts_so_far: int) -> timedelta:
    """How long after creation (or after the last alert) the next alert is due."""
    return REALERT_AFTER[Priority(level)] * (2 ** max(alerts_so_far, 0))


def realert_due_at(
    level: Priority | str, created_at: datetime, last_alert_at: datetime | None,
    alerts_so_far: int,
) -> datetime:
    return (last_alert_at or created_at) + realert_delay(level, alerts_so_far)


def reminder_due_at(
    level: Priority | str, claimed_at: datetime, last_answer_at: datetime | None,
    reminded_at: datetime | None,
) -> datetime:
    """When staff are to be reminded: a period after the claim, the latest staff answer or the
    latest reminder, whichever came last."""
    latest = max(at for at in (claimed_at, last_answer_at, reminded_at) if at is not None)
    return latest + REMIND_AFTER[Priority(level)]


@dataclass(frozen=True)
class Timings:
    """How fast staff were, in minutes from creation (None: it has not happened)."""

    to_claim: float | None
    to_first_answer: float | None


def timings(
    created_at: datetime, claimed_at: datetime | None, first_answer_at: datetime | None
) -> Timings:
    def minutes(at: datetime | None) -> float | None:
        return None if at is None else round((at - created_at).total_seconds() / 60, 1)

    return Timings(minutes(claimed_at), minutes(first_answer_at))
