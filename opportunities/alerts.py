"""The rules of opt-in alerts, pure (no I/O): what the broadcast does for one subscriber, the
life of a delivery row, and who can only be reached by a template.

A delivery row is ``queued`` (its alert is in the outbox), ``skipped`` with a reason, or
``waiting``: the person had an alert less than a day ago, so this opportunity goes into their
next one, grouped with any others (``waiting -> queued``), unless it has expired or they can no
longer be alerted by then (``waiting -> skipped``). Queued and skipped rows never change.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Status(StrEnum):
    QUEUED = "queued"
    WAITING = "waiting"
    SKIPPED = "skipped"


class Skip(StrEnum):
    """Why a subscriber gets no alert of an opportunity (the programme's counts)."""

    STOPPED = "stopped"
    UNREACHABLE = "unreachable"
    URGENT = "urgent"
    """They are in an open urgent referral: staff talk to them, nothing else should."""
    NO_TEMPLATE = "no_template"
    """Outside WhatsApp's window, and no approved alert template in their language."""
    EXPIRED = "expired"
    """It waited for their next alert, and its deadline passed (or it was unpublished)."""


MOVES: dict[Status, frozenset[Status]] = {
    Status.WAITING: frozenset({Status.QUEUED, Status.SKIPPED}),
    Status.QUEUED: frozenset(),
    Status.SKIPPED: frozenset(),
}
"""The allowed changes of a delivery row's status."""

ONE_A_DAY = timedelta(days=1)
"""At most one alert in this time per person; what comes meanwhile waits for the next."""


@dataclass(frozen=True)
class Subscriber:
    """What the broadcast knows of one person when it decides."""

    channel: str
    locale: str
    last_seen_at: datetime
    stopped: bool = False
    unreachable: bool = False
    urgent: bool = False
    alerted_recently: bool = False


@dataclass(frozen=True)
class Reach:
    """The channels that, outside a window since the person's last message, take an alert only
    as an approved template (WhatsApp: 24 hours), with the templates per language."""

    windows: Mapping[str, timedelta] = field(default_factory=dict)
    templates: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    default_locale: str = "sq"

    def template_missing(self, person: Subscriber, now: datetime) -> bool:
        window = self.windows.get(person.channel)
        if window is None or now - person.last_seen_at < window:
            return False
        templates = self.templates.get(person.channel, {})
        return not (templates.get(person.locale) or templates.get(self.default_locale))


def decide(person: Subscriber, reach: Reach, now: datetime) -> tuple[Status, Skip | None]:
    """Queue, keep for the next alert, or skip (and why): the first reason found wins."""
    if person.stopped:
        return Status.SKIPPED, Skip.STOPPED
    if person.unreachable:
        return Status.SKIPPED, Skip.UNREACHABLE
    if person.urgent:
        return Status.SKIPPED, Skip.URGENT
    if reach.template_missing(person, now):
        return Status.SKIPPED, Skip.NO_TEMPLATE
    if person.alerted_recently:
        return Status.WAITING, None
    return Status.QUEUED, None


def can_move(old: Status, new: Status) -> bool:
    return new in MOVES[old]
