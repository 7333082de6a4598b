"""The catalogue's rules for a row and for a file, without a database."""

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from opportunities.fields import opportunity_columns, service_columns
from opportunities.files import FileProblem, read_table
from opportunities.validation import check_rows
from tests.support.catalogue_rows import OPPORTUNITY_HEADER, opportunity

TODAY = date(2026, 12, 7)


def problems(**cells: str) -> list[str]:
    row = opportunity(1, checked="2026-12-01", deadline="2027-01-15") | cells
    checked = check_rows(OPPORTUNITY_HEADER, [(2, row)], opportunity_columns(), TODAY)
    return [str(p) for p in checked.problems]


def test_a_good_row_becomes_typed_values() -> None:
    row = opportunity(4, municipalities="Tropoje, has ,has", sectors="hospitality,ict",
                      min_age="18", max_age="", deadline="2027-01-15", checked="2026-12-07",
                      published="jo")
    checked = check_rows(OPPORTUNITY_HEADER, [(2, row)], opportunity_columns(), TODAY)
    assert checked.problems == []
    record = checked.records[0]
    assert record["municipalities"] == ["has", "tropoje"]
    assert record["sectors"] == ["ict", "hospitality"]
    assert (record["min_age"], record["max_age"]) == (18, None)
    assert record["deadline"] == date(2027, 1, 15)
    assert record["published"] is False


def test_dates_must_be_real_and_written_the_one_way() -> None:
    assert problems(deadline="31/02/2027") == ["row 2, deadline: 31/02/2027 is not a date "
                                               "(YYYY-MM-DD)"]
    assert problems(deadline="2027-02-29") == ["row 2, deadline: 2027-02-29 is not a date "
                                               "(YYYY-MM-DD)"]
    assert problems(deadline="") == []
    assert problems(deadline="2026-12-07") == []
    assert problems(deadline="2026-12-06") == ["row 2, deadline: 2026-12-06 is in the past"]


def test_checked_is_required_and_not_in_the_future() -> None:
    assert problems(checked="") == [
        "row 2, checked: is required (the day someone last confirmed it)"]
    assert problems(checked="2026-12-08") == ["row 2, checked: 2026-12-08 is in the future"]


def test_ages_are_whole_years_and_in_order() -> None:
    assert problems(min_age="16.5") == ["row 2, min_age: '16.5' is not an age in whole years"]
    assert problems(min_age="30", max_age="18") == ["row 2, max_age: 18 is below min_age 30"]


def test_kind_id_and_published_have_their_values() -> None:
    assert problems(kind="course") == [
        "row 2, kind: 'course' is not one of training, job, internship, grant, other"]
    assert problems(id="Kurs IT") == [
        "row 2, id: 'Kurs IT' is not an id (a-z, 0-9, - and _, at most 64)"]
    assert problems(published="maybe") == ["row 2, published: 'maybe' is not yes or no"]


def test_every_problem_of_every_row_is_listed_and_nothing_is_kept() -> None:
    rows = [(2, opportunity(1, sectors="it")), (3, opportunity(1, title_sq="", kind=""))]
    checked = check_rows([*OPPORTUNITY_HEADER, "notes"], rows, opportunity_columns(), TODAY)
    assert [str(p) for p in checked.problems] == [
        "header, notes: is not a column of this file",
        "row 2, sectors: 'it' not one of ict, tourism, agriculture, medicinal_plants, "
        "agro_processing, construction, hospitality, crafts, languages, care",
        "row 3, kind: is required",
        "row 3, title_sq: is required",
        "row 3, id: 'opp-001' is already on row 2",
    ]
    assert checked.records == []


def test_missing_columns_are_named_but_published_may_be_left_out() -> None:
    header = [name for name in OPPORTUNITY_HEADER if name not in ("sectors", "published")]
    checked = check_rows(header, [(2, opportunity(1))], opportunity_columns(), TODAY)
    assert [str(p) for p in checked.problems] == ["header, sectors: is missing"]
    header.append("sectors")
    checked = check_rows(header, [(2, opportunity(1))], opportunity_columns(), TODAY)
    assert checked.problems == [] and "published" not in checked.records[0]


def test_service_topics_are_content_pages() -> None:
    columns = service_columns(["jobs", "human.counters"])
    row = {"id": "zyra", "title_sq": "Zyra", "municipalities": "", "topics": "jobs,migration",
           "checked": "2026-12-01"}
    checked = check_rows([c.name for c in columns if c.required], [(2, row)], columns, TODAY)
    assert [str(p) for p in checked.problems] == [
        "row 2, topics: 'migration' not among content page ids"]


def test_a_csv_with_a_byte_order_mark_reads_like_one_without(tmp_path: Path) -> None:
    text = "id,title_sq\r\nkurs-it,Kurs IT në Krumë\r\n,\r\n"
    (tmp_path / "bom.csv").write_text("\ufeff" + text, encoding="utf-8")
    (tmp_path / "plain.csv").write_text(text, encoding="utf-8")
    with_bom, without = read_table(tmp_path / "bom.csv"), read_table(tmp_path / "plain.csv")
    assert with_bom == without
    assert with_bom.header == ["id", "title_sq"]
    assert with_bom.rows == [(2, {"id": "kurs-it", "title_sq": "Kurs IT në Krumë"})]


def test_xlsx_cells_typed_by_a_spreadsheet_read_as_the_csv_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "min_age", "deadline", "title_sq"])
    sheet.append([None, None, None, None])
    sheet.append(["kurs-it", 16, datetime(2027, 1, 15), "Kurs IT"])
    book.save(tmp_path / "typed.xlsx")
    table = read_table(tmp_path / "typed.xlsx")
    assert table.header == ["id", "min_age", "deadline", "title_sq"]
    assert table.rows == [(3, {"id": "kurs-it", "min_age": "16", "deadline": "2027-01-15",
                               "title_sq": "Kurs IT"})]


@pytest.mark.parametrize(("name", "content", "said"), [
    ("broken.xlsx", b"not a spreadsheet", "cannot be read (BadZipFile)"),
    ("latin1.csv", "id,title_sq\nkurs,Kurs në Kukës\n".encode("latin-1"),
     "not UTF-8 text (save the CSV as UTF-8)"),
    ("empty.csv", b"", "is empty (the first row must be the header)"),
    ("notes.txt", b"id\n", "not a .csv or .xlsx file"),
])
def test_a_file_that_cannot_be_read_is_one_line(
    tmp_path: Path, name: str, content: bytes, said: str
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(FileProblem) as raised:
        read_table(tmp_path / name)
    assert str(raised.value) == f"{tmp_path / name}: {said}"
