"""Which open opportunities answer what a young person asked: pure, no database, no clock.

A question about trainings, jobs or business support is a :class:`Wanted`: its topic (which
kinds it covers: :data:`TOPIC_KINDS`), and the municipality, sector and age band the NLU or the
conversation gave, each optional. An opportunity for no municipality in particular is for all
three; one with sectors matches a question that names one of them, and a question naming no
sector matches every sector. The answer is the most urgent deadline first (no deadline last),
:data:`PAGE_SIZE` at a time.

The work is done once, when the catalogue changes (:class:`Index`): every open opportunity is
filed under each (topic, municipality, sector) it answers, "any" included, already in order. A
turn then looks one list up, skips what expired since by bisection, and reads only as far as
the page it shows (checking ages on the way): a few dozen steps however big the catalogue.
"""

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from itertools import islice
from typing import Any

TOPIC_KINDS: dict[str, tuple[str, ...]] = {
    "trainings": ("training",), "jobs": ("job", "internship"), "business": ("grant",),
}
"""The conversation's topics that have opportunities, and the kinds each one shows."""
TOPIC_OF_KIND = {kind: topic for topic, kinds in TOPIC_KINDS.items() for kind in kinds}
PAGE_SIZE = 3
KEY_MAX = 50
"""The longest key a choice id carries (Telegram's callback data holds 64 bytes)."""
_NO_DEADLINE = date.max.toordinal() + 1


@dataclass(frozen=True)
class Listing:
    """An open opportunity as the conversation shows it (a copy: no session behind it)."""

    id: str
    kind: str
    title_sq: str
    title_en: str
    organisation: str
    municipalities: tuple[str, ...]
    """Empty: all three."""
    sectors: tuple[str, ...]
    min_age: int | None
    max_age: int | None
    deadline: date | None
    apply: str
    contact: str
    checked: date

    @classmethod
    def of(cls, row: Sequence[Any]) -> "Listing":
        """From a row of the stored columns named :data:`FIELDS`, in that order."""
        values = list(row)
        values[_PLACES_AT] = tuple(values[_PLACES_AT])
        values[_SECTORS_AT] = tuple(values[_SECTORS_AT])
        return cls(*values)

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_sq

    @property
    def key(self) -> str:
        return choice_key(self.id)

    @property
    def urgency(self) -> int:
        """Its deadline as a day number; no deadline comes after every deadline."""
        return self.deadline.toordinal() if self.deadline else _NO_DEADLINE

    def admits(self, ages: tuple[int, int] | None) -> bool:
        """Whether someone of an age in ``ages`` (youngest, oldest) may apply; None: unknown."""
        if ages is None:
            return True
        youngest, oldest = ages
        return (self.min_age is None or self.min_age <= oldest) and (
            self.max_age is None or self.max_age >= youngest)


FIELDS = tuple(field.name for field in fields(Listing))
"""The stored columns a listing is made of (``Opportunity``'s, by name)."""
_PLACES_AT, _SECTORS_AT = FIELDS.index("municipalities"), FIELDS.index("sectors")


def choice_key(opportunity_id: str) -> str:
    """The id, or for a long one a shortened form that still names it alone (ids never hold
    "~"), so that a button's id fits every channel."""
    if len(opportunity_id) <= KEY_MAX:
        return opportunity_id
    digest = hashlib.sha256(opportunity_id.encode()).hexdigest()[:8]
    return f"{opportunity_id[:KEY_MAX - 9]}~{digest}"


@dataclass(frozen=True)
class Wanted:
    topic: str
    municipality: str | None = None
    sector: str | None = None
    ages: tuple[int, int] | None = None
    """The asker's age band (youngest, oldest) when it is known."""


@dataclass(frozen=True)
class Found:
    listings: tuple[Listing, ...]
    more: bool
    """Whether there is another page after this one."""


class Index:
    """The open opportunities filed for matching; built from the catalogue when it changes.
    ``municipalities``: all there are (what an opportunity for none in particular is for)."""

    def __init__(self, listings: Iterable[Listing], municipalities: Sequence[str]) -> None:
        files: dict[tuple[str, str | None, str | None], list[Listing]] = {}
        self._days: dict[tuple[str, str | None, str | None], list[int]] = {}
        self._by_key: dict[str, Listing] = {}
        for day, _, listing in sorted((item.urgency, item.id, item) for item in listings):
            self._by_key[listing.key] = listing
            topic = TOPIC_OF_KIND.get(listing.kind)
            if topic is None:
                continue  # "other": in no topic's list, still open to "I'm interested"
            for place in (None, *(listing.municipalities or municipalities)):
                for sector in (None, *listing.sectors):
                    key = (topic, place, sector)
                    if key not in files:
                        files[key], self._days[key] = [], []
                    files[key].append(listing)
                    self._days[key].append(day)
        self._files = {key: tuple(items) for key, items in files.items()}

    def __len__(self) -> int:
        return len(self._by_key)

    def get(self, key: str) -> Listing | None:
        """An open opportunity by its :func:`choice_key`."""
        return self._by_key.get(key)

    def still_open(self, topic: str, municipality: str | None, sector: str | None,
                   today: date) -> Iterable[Listing]:
        """The list filed under the three, from the first whose deadline has not passed."""
        key = (topic, municipality, sector)
        start = bisect_left(self._days.get(key, ()), today.toordinal())
        return islice(self._files.get(key, ()), start, None)

    def has_any(self, topic: str, today: date) -> bool:
        return next(iter(self.still_open(topic, None, None, today)), None) is not None


def match(index: Index, wanted: Wanted, today: date, page: int = 0) -> Found:
    """The ``page``th (from 0) :data:`PAGE_SIZE` opportunities that answer ``wanted``."""
    candidates = index.still_open(wanted.topic, wanted.municipality, wanted.sector, today)
    fitting = (item for item in candidates if item.admits(wanted.ages))
    shown = tuple(islice(fitting, page * PAGE_SIZE, (page + 1) * PAGE_SIZE + 1))
    return Found(shown[:PAGE_SIZE], len(shown) > PAGE_SIZE)
