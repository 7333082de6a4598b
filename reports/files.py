"""A published report (:mod:`reports.published`) as a file: an ``.xlsx`` workbook (a cover
sheet, then one sheet a table with a header row) or one ``.csv`` in long format (one line a
cell: table, row, column, value; the cover's lines first, with no column).

Text a spreadsheet would run as a formula (a campaign's name starting with ``=``) is written
with a leading ``'``, as in the donor CSV of :mod:`reports.rows`.
"""

import csv
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.i18n import N_, Translator
from reports.published import COVER_SHEET, Cell, PublishedReport

CSV_HEADER = (N_("report.csv.table"), N_("report.csv.row"), N_("report.csv.column"),
              N_("report.csv.value"))
SHEET_NAME_LIMIT = 31
"""Excel's longest sheet name."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def sheet_name(title: str) -> str:
    """A table's title as Excel accepts a sheet's name."""
    return title.translate(_NOT_IN_SHEET_NAMES).strip()[:SHEET_NAME_LIMIT]


def sheet_names(report: PublishedReport, t: Translator) -> list[str]:
    """The workbook's sheets, in order: the cover, then one a table."""
    return [sheet_name(t(COVER_SHEET)), *(sheet_name(table.title) for table in report.tables)]


def write_xlsx(report: PublishedReport, t: Translator, out: Path) -> None:
    book = Workbook()
    cover = book.active
    names = sheet_names(report, t)
    cover.title = names[0]
    bold = Font(bold=True)
    for heading, text in report.cover:
        cover.append([heading, text])
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 90
    for table, name in zip(report.tables, names[1:], strict=True):
        sheet = book.create_sheet(name)
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = bold
        for label, values in table.rows:
            sheet.append([_safe(label), *(_safe(v) for v in values)])
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = max(
            [len(str(table.columns[0])), *(len(label) for label, _ in table.rows), 10]) + 2
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)


def csv_lines(report: PublishedReport, t: Translator) -> Iterable[tuple[Cell, ...]]:
    """The header, the cover's lines (column empty), then one line a cell of every table."""
    yield tuple(t(heading) for heading in CSV_HEADER)
    cover = t(COVER_SHEET)
    for heading, text in report.cover:
        yield cover, heading, "", text
    for table in report.tables:
        for label, values in table.rows:
            for heading, value in zip(table.columns[1:], values, strict=True):
                yield table.title, label, heading, value


def write_csv(report: PublishedReport, t: Translator, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        for line in csv_lines(report, t):
            writer.writerow([_safe(value) for value in line])
