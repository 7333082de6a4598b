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


@dataclass(frozen=True)
class Queue:
    items: tuple[QueueItem, ...]


Refusal = NotAllowed | NotFound | NotOpen
ClaimResult = Claimed | AlreadyHeld | Refusal
UnclaimResult = Unclaimed | NotClaimed | Refusal
ReassignResult = Reassigned | NoSuchMember | Refusal
AnswerResult = Answered | UserGone | NeedsText | Refusal
NoteResult = Noted | NeedsText | Refusal
CloseResult = Closed | NeedsOutcome | Refusal
QueueResult = Queue | NotAllowed
