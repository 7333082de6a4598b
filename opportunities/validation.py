"""A file's rows → records, or every problem in it: by row and column, all at once, so that the
operator fixes the file in one go. Pure: no database, no clock (the day is given)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from opportunities.fields import Column

HEADER_ROW = 1
"""Rows are numbered as a spreadsheet shows them: the header is row 1, the first entry row 2."""
FORM_ROW = 0
"""One entry from a form (the console), not a file: its problems name only the field."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == FORM_ROW:
            return f"{self.column}: {self.message}"
        if self.row == HEADER_ROW:
            return f"header, {self.column}: {self.message}"
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass(frozen=True)
class Checked:
    """The validated rows (column name → stored value), or the problems that stop the file."""

    records: list[dict[str, Any]]
    problems: list[Problem]


def header_problems(header: Sequence[str], columns: Sequence[Column]) -> list[Problem]:
    known = {column.name for column in columns}
    found = [Problem(HEADER_ROW, name or "(empty)", "is not a column of this file")
             for name in header if name not in known]
    found += [Problem(HEADER_ROW, name, "appears twice")
              for i, name in enumerate(header) if name in header[:i] and name]
    found += [Problem(HEADER_ROW, c.name, "is missing") for c in columns
              if c.required and c.name not in header]
    return found


def check_rows(
    header: Sequence[str], rows: Sequence[tuple[int, Mapping[str, str]]],
    columns: Sequence[Column], today: date,
) -> Checked:
    """``rows``: (row number, column → cell text). Every cell of every row is read, whatever
    went wrong before it, so the problems are all there. An optional column the header lacks
    is left out of the records (an import then keeps what the database has)."""
    problems = header_problems(header, columns)
    columns = [c for c in columns if c.required or c.name in header]
    records: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    for number, cells in rows:
        record: dict[str, Any] = {}
        for column in columns:
            try:
                record[column.name] = column.parse(cells.get(column.name, "").strip(), today)
            except ValueError as error:
                problems.append(Problem(number, column.name, str(error)))
        problems += _row_problems(number, record, first_seen)
        records.append(record)
    return Checked(records if not problems else [], problems)


def _row_problems(number: int, record: Mapping[str, Any],
                  first_seen: dict[str, int]) -> list[Problem]:
    found = []
    entry_id = record.get("id")
    if entry_id is not None:
        if entry_id in first_seen:
            found.append(Problem(number, "id", f"{entry_id!r} is already on row "
                                               f"{first_seen[entry_id]}"))
        first_seen.setdefault(entry_id, number)
    low, high = record.get("min_age"), record.get("max_age")
    if low is not None and high is not None and low > high:
        found.append(Problem(number, "max_age", f"{high} is below min_age {low}"))
    return found
