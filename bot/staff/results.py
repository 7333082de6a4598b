"""What a staff action came to: plain values that each staff interface (the Telegram group, the
web console) renders its own way. Names are staff members' display names."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class NotAllowed:
    """Not an active staff member (``member`` False), or their role may not do this (to this
    referral)."""

    member: bool = False


@dataclass(frozen=True)
class NotFound:
    referral_id: int


@dataclass(frozen=True)
class NotOpen:
    """The referral is not in a status the action needs (unclaimed, closed, withdrawn)."""

    referral_id: int
    status: str


@dataclass(frozen=True)
class NeedsText:
    """An answer or a note with nothing in it."""

    referral_id: int


@dataclass(frozen=True)
class Claimed:
    """``fresh``: this action made the claim (else it was theirs already). ``thread``: the
    referral's forum topic, if it has one already."""

    referral_id: int
    holder: str
    fresh: bool
    thread: str | None = None


@dataclass(frozen=True)
class AlreadyHeld:
    referral_id: int
    holder_name: str


@dataclass(frozen=True)
class Unclaimed:
    referral_id: int


@dataclass(frozen=True)
class NotClaimed:
    """Nobody holds the referral, so there is nothing to give back."""

    referral_id: int


@dataclass(frozen=True)
class Reassigned:
    referral_id: int
    to_name: str


@dataclass(frozen=True)
class NoSuchMember:
    """No active member (able to take referrals) has that name or e-mail, or several do."""

    name: str
    several: bool = False


@dataclass(frozen=True)
class Answered:
    referral_id: int


@dataclass(frozen=True)
class UserGone:
    """The young person deleted their data: nobody to write to."""

    referral_id: int


@dataclass(frozen=True)
class Noted:
    referral_id: int


@dataclass(frozen=True)
class NeedsOutcome:
    """Closing needs one of ``outcomes`` (``given``: the unknown code that was given)."""

    referral_id: int
    outcomes: tuple[str, ...]
    given: str | None = None


@dataclass(frozen=True)
class Closed:
    referral_id: int
    outcome: str
    partner: str | None


@dataclass(frozen=True)
class QueueItem:
    """One open referral in the queue; ``contact`` only for those who may see it."""

    referral_id: int
    priority: str
    topic: str
    status: str
    holder: str | None
    created_at: datetime
    contact: str | None
    opportunity: str | None = None
    """The title of the opportunity it is about, if any."""
    municipality: str | None = None
    channel: str = ""
    holder_id: int | None = None


@dataclass(frozen=True)
class Queue:
    items: tuple[QueueItem, ...]


@dataclass(frozen=True)
class CaseEvent:
    """A line of a referral's audit trail: what happened, by whom (a display name), when;
    ``note``: a staff note's text."""

    kind: str
    by: str | None
    detail: str | None
    note: str | None
    at: datetime


@dataclass(frozen=True)
class Case:
    """One referral as a member may see it: what the young person agreed to share (``contact``
    and ``summary`` None for those who may not see them), the holder, the audit trail with
    its notes, and the actions this member may take on it now."""

    referral_id: int
    priority: str
    topic: str
    status: str
    channel: str
    created_at: datetime
    holder: str | None
    holder_id: int | None
    municipality: str | None
    age_band: str | None
    gender: str | None
    contact: str | None
    summary: str | None
    answers: tuple[tuple[str, str], ...]
    opportunity: str | None
    outcome: str | None
    partner: str | None
    events: tuple[CaseEvent, ...]
    actions: frozenset[str]


Refusal = NotAllowed | NotFound | NotOpen
ClaimResult = Claimed | AlreadyHeld | Refusal
UnclaimResult = Unclaimed | NotClaimed | Refusal
ReassignResult = Reassigned | NoSuchMember | Refusal
AnswerResult = Answered | UserGone | NeedsText | Refusal
NoteResult = Noted | NeedsText | Refusal
CloseResult = Closed | NeedsOutcome | Refusal
QueueResult = Queue | NotAllowed
CaseResult = Case | NotAllowed | NotFound
