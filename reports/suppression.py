"""Small numbers hidden in published reports: a count under 5 could point at a person.

Used when a report leaves the programme (a donor's table, a chart); staff's own views and the
JSON of the CLI stay raw. The rule is the programme's as written: every count under 5, zero
included, is shown as ``"<5"`` (so an empty cell cannot be told from a small one either).
"""

from collections.abc import Mapping

THRESHOLD = 5
SMALL = "<5"


def suppress(count: int) -> int | str:
    """``count`` as published: under 5 becomes ``"<5"``; 5 or more stays a number."""
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    return SMALL if count < THRESHOLD else count


def suppress_counts(counts: Mapping[str, int]) -> dict[str, int | str]:
    """Every count of a breakdown as published, in the same order."""
    return {key: suppress(count) for key, count in counts.items()}
