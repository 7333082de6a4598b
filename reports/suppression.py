"""Small numbers hidden in published reports: a count under 5 could point at a person.

Used when a report leaves the programme (the spreadsheet and CSV of ``youthbot report``, a
chart); staff's own views and the JSON of the CLI stay raw.

The rule, in two steps:

1. **Primary**: every count under 5, zero included, is shown as ``"<5"`` (so an empty cell
   cannot be told from a small one either).
2. **Totals** (:func:`publish`): a published table may show a total beside the counts it adds
   up (a :class:`Relation`; one total may have several breakdowns, e.g. new users by channel and
   by language). So that no hidden count can be worked out by subtraction, (a) a total any of
   whose counts is hidden is hidden too, and (b) a breakdown that then has exactly one hidden
   member (its total, hidden because of another breakdown) hides its smallest shown count as
   well; both are repeated until nothing changes. A count hidden by step 2 that is 5 or more is
   shown as ``"*"`` ("hidden so that a small count cannot be worked out"), never as ``"<5"``.

What this guarantees, and what a property test holds: every number shown is 5 or more, and no
hidden count is determined by the equations "total = sum of its counts" of what is shown.
Bounds ("<5" is at most 4) combined across several breakdowns of one total can still narrow a
hidden count; the published tables keep breakdowns few for that reason.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "<5"
HIDDEN = "*"
"""A count of 5 or more hidden so that a small count beside it cannot be worked out."""
NOT_COUNTED = ".."
"""A figure this database cannot give (``None``)."""

Published = int | str


def suppress(count: int) -> int | str:
    """``count`` as published: under 5 becomes ``"<5"``; 5 or more stays a number."""
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    return SMALL if count < THRESHOLD else count


def suppress_counts(counts: Mapping[str, int]) -> dict[str, int | str]:
    """Every count of a breakdown as published, in the same order."""
    return {key: suppress(count) for key, count in counts.items()}


@dataclass(frozen=True)
class Relation:
    """The figure ``total`` is the sum of the figures ``parts`` (keys of one figure set)."""

    total: str
    parts: tuple[str, ...]


def hidden_figures(
    counts: Mapping[str, int | None], relations: Iterable[Relation]
) -> set[str]:
    """The keys of the figures to hide: primary (under 5) and secondary (the rule above)."""
    for key, count in counts.items():
        if count is not None and count < 0:
            raise ValueError(f"a count cannot be negative: {key}={count}")
    related = [r for r in relations
               if r.parts and counts.get(r.total) is not None
               and all(counts.get(p) is not None for p in r.parts)]
    hidden = {key for key, count in counts.items() if count is not None and count < THRESHOLD}
    changed = True
    while changed:
        changed = False
        for relation in related:
            if relation.total not in hidden and any(p in hidden for p in relation.parts):
                hidden.add(relation.total)
                changed = True
        for relation in related:
            members = (relation.total, *relation.parts)
            if sum(m in hidden for m in members) == 1:
                shown = sorted((int(counts[m] or 0), m) for m in relation.parts
                               if m not in hidden)
                if shown:
                    hidden.add(shown[0][1])
                    changed = True
    return hidden


def publish(
    counts: Mapping[str, int | None], relations: Iterable[Relation] = ()
) -> dict[str, Published]:
    """Every figure as published: a number of 5 or more, ``"<5"``, ``"*"`` (hidden by the
    totals rule) or ``".."`` (not counted)."""
    hidden = hidden_figures(counts, relations)
    shown: dict[str, Published] = {}
    for key, count in counts.items():
        if count is None:
            shown[key] = NOT_COUNTED
        elif key in hidden:
            shown[key] = SMALL if count < THRESHOLD else HIDDEN
        else:
            shown[key] = count
    return shown
