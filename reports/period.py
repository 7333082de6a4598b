"""The dates a report covers: whole days in UTC, both ends included, either end open."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end`` (whole UTC days, inclusive); ``None`` leaves that end open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def parse(cls, start: str | None = None, end: str | None = None) -> "Period":
        """From ``YYYY-MM-DD`` strings (ValueError if one is not a date)."""
        return cls(date.fromisoformat(start) if start else None,
                   date.fromisoformat(end) if end else None)

    @classmethod
    def quarter(cls, year: int, number: int) -> "Period":
        """The calendar quarter donors report on: ``quarter(2026, 1)`` is January to March."""
        if number not in (1, 2, 3, 4):
            raise ValueError(f"quarter {number}: one of 1, 2, 3, 4")
        first = date(year, 3 * number - 2, 1)
        after = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
        return cls(first, after - timedelta(days=1))

    @property
    def starts_at(self) -> datetime | None:
        """The first instant inside the period (UTC midnight of ``start``)."""
        return None if self.start is None else datetime.combine(self.start, time(), UTC)

    @property
    def ends_before(self) -> datetime | None:
        """The first instant after the period (UTC midnight after ``end``)."""
        if self.end is None:
            return None
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)

    def contains(self, at: datetime) -> bool:
        starts, ends = self.starts_at, self.ends_before
        return (starts is None or at >= starts) and (ends is None or at < ends)

    def where(self, column: Any) -> list[ColumnElement[bool]]:
        """SQL conditions putting ``column`` (a UTC timestamp) inside the period."""
        conditions: list[ColumnElement[bool]] = []
        if self.starts_at is not None:
            conditions.append(column >= self.starts_at)
        if self.ends_before is not None:
            conditions.append(column < self.ends_before)
        return conditions

    def __str__(self) -> str:
        return f"{self.start or '…'} – {self.end or '…'}"


ALL_TIME = Period()
"""Every row there is."""
