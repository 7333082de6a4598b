"""The catalogue's files: CSV (UTF-8, with or without a byte-order mark) or XLSX (the first
sheet), first row the header; chosen by the file's extension. Cells come back as text, the way
the CSV has them, whatever type a spreadsheet gave them (a date cell is ``YYYY-MM-DD``)."""

import csv
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = (".csv", ".xlsx")


class FileProblem(Exception):
    """The file cannot be read (or written) at all: one line for the operator."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    """(row number as a spreadsheet shows it, column → cell text); empty rows left out."""


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise FileProblem(f"{path}: not a .csv or .xlsx file")
    return suffix


def read_table(path: Path) -> Table:
    suffix = _format(path)
    try:
        lines = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise FileProblem(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None
    except (OSError, ValueError, KeyError, csv.Error, zipfile.BadZipFile,
            InvalidFileException) as error:
        raise FileProblem(f"{path}: cannot be read ({type(error).__name__})") from None
    if not lines:
        raise FileProblem(f"{path}: is empty (the first row must be the header)")
    header = [name.strip().lower() for name in lines[0]]
    rows = [
        (number, {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)})
        for number, cells in enumerate(lines[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    return Table(header, rows)


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _read_xlsx(path: Path) -> list[list[str]]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_table(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Every cell as text, so that a spreadsheet shows it as the CSV would."""
    if _format(path) == ".csv":
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            writer.writerows(rows)
        return
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
