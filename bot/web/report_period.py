"""The dates a report page covers, from its address (``?from=YYYY-MM-DD&to=YYYY-MM-DD``): the
last full calendar quarter when none are given, a message id (never an exception) when they
cannot be read."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.i18n import N_
from reports.period import Period

FIRST_YEAR, LAST_YEAR = 2000, 2100
"""Dates outside these years are refused (a day past 9999-12-31 cannot even be counted to)."""
BAD_DATE = N_("console.reports.bad_date")
BAD_ORDER = N_("console.reports.bad_order")


@dataclass(frozen=True)
class Asked:
    """What the form asked for: a period, or the message saying why not (and the text typed,
    to show again)."""

    period: Period | None
    start: str
    end: str
    error: str | None = None


def last_quarter(today: date) -> Period:
    """The last calendar quarter that has ended by ``today``."""
    number = (today.month - 1) // 3 + 1
    if number == 1:
        return Period.quarter(today.year - 1, 4)
    return Period.quarter(today.year, number - 1)


def _day(text: str) -> date | None:
    if len(text) != 10:  # YYYY-MM-DD only: what <input type="date"> sends
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def asked(query: Mapping[str, str], today: date) -> Asked:
    """The period of ``query``'s ``from`` and ``to`` (both needed); without either, the last
    full quarter before ``today``."""
    start, end = query.get("from", "").strip(), query.get("to", "").strip()
    if not start and not end:
        quarter = last_quarter(today)
        return Asked(quarter, str(quarter.start), str(quarter.end))
    first, last = _day(start), _day(end)
    if first is None or last is None:
        return Asked(None, start[:10], end[:10], BAD_DATE)
    if last < first:
        return Asked(None, start, end, BAD_ORDER)
    return Asked(Period(first, last), start, end)
