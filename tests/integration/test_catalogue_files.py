"""Operators keep the catalogue and the directory with files: what they see when a file is good,
bad, or only tried (``youthbot opportunities|services import|list|export``)."""

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.cli import app
from bot.storage import migrate
from bot.storage.database import create_engine
from tests.support.catalogue_rows import (
    OPPORTUNITY_HEADER,
    SERVICE_HEADER,
    TODAY,
    opportunity,
    service,
    write,
)


@pytest.fixture
async def database_url(database_url: str) -> str:
    """The schema at head (``youthbot`` migrates SQLite by itself, PostgreSQL never)."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    return database_url


def youthbot(database_url: str, *args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"DATABASE_URL": database_url})


def exported(database_url: str, folder: Path, group: str = "opportunities") -> str:
    path = folder / f"export-{group}.csv"
    result = youthbot(database_url, group, "export", path)
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_thirty_opportunities_import_and_come_back_out_the_same(
    database_url: str, tmp_path: Path, suffix: str
) -> None:
    rows = [opportunity(n) for n in range(1, 31)]
    result = youthbot(database_url, "opportunities", "import", write(tmp_path / f"o{suffix}", rows))
    assert result.exit_code == 0, result.output
    assert "30 added, 0 updated, 0 unchanged" in result.stdout

    listing = youthbot(database_url, "opportunities", "list").stdout
    assert all(row["id"] in listing for row in rows)
    expected = write(tmp_path / "expected.csv", [row | {"published": "yes"} for row in rows])
    assert exported(database_url, tmp_path) == expected.read_text(encoding="utf-8")


def test_a_file_with_bad_rows_is_refused_with_every_problem_and_nothing_changes(
    database_url: str, tmp_path: Path
) -> None:
    youthbot(database_url, "opportunities", "import",
             write(tmp_path / "good.csv", [opportunity(n) for n in range(1, 4)]))
    before = exported(database_url, tmp_path)
    rows = [opportunity(n, title_sq="Titull i ri") for n in range(1, 31)]
    rows[1] |= {"deadline": "2027-02-31"}                               # row 3
    rows[5] |= {"sectors": "ict,cooking"}                               # row 7
    rows[8] |= {"municipalities": "has,peja"}                           # row 10
    rows[12] |= {"title_sq": ""}                                        # row 14
    rows[20] |= {"deadline": (TODAY - timedelta(days=1)).isoformat()}   # row 22
    bad = write(tmp_path / "bad.csv", rows)

    result = youthbot(database_url, "opportunities", "import", bad)

    assert result.exit_code == 1
    problems = result.stderr.splitlines()
    assert problems == [
        f"{bad}: row 3, deadline: 2027-02-31 is not a date (YYYY-MM-DD)",
        f"{bad}: row 7, sectors: 'cooking' not one of ict, tourism, agriculture, "
        "medicinal_plants, agro_processing, construction, hospitality, crafts, languages, care",
        f"{bad}: row 10, municipalities: 'peja' not one of kukes, has, tropoje",
        f"{bad}: row 14, title_sq: is required",
        f"{bad}: row 22, deadline: {rows[20]['deadline']} is in the past",
        f"{bad}: 5 problem(s); nothing imported",
    ]
    assert "Traceback" not in result.output
    assert exported(database_url, tmp_path) == before


def test_a_dry_run_shows_the_changes_and_writes_nothing(database_url: str, tmp_path: Path) -> None:
    youthbot(database_url, "opportunities", "import",
             write(tmp_path / "first.csv", [opportunity(1), opportunity(2)]))
    before = exported(database_url, tmp_path)
    tried = write(tmp_path / "next.csv",
                  [opportunity(1, title_sq="Kurs i ri"), opportunity(2), opportunity(3)])

    result = youthbot(database_url, "opportunities", "import", tried, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "added: opp-003", "updated: opp-001",
        f"{tried}: 1 would be added, 1 would be updated, 1 unchanged (dry run: nothing written)",
    ]
    assert exported(database_url, tmp_path) == before


def test_re_importing_updates_rows_by_id(database_url: str, tmp_path: Path) -> None:
    youthbot(database_url, "opportunities", "import",
             write(tmp_path / "first.csv", [opportunity(1), opportunity(2)]))
    later = (TODAY + timedelta(days=90)).isoformat()

    result = youthbot(database_url, "opportunities", "import", write(
        tmp_path / "again.csv", [opportunity(1, title_sq="Kurs i ri", deadline=later)]))

    assert "0 added, 1 updated, 0 unchanged" in result.stdout
    back = exported(database_url, tmp_path).splitlines()
    assert len(back) == 3
    assert back[1].startswith("opp-001,job,Kurs i ri,") and f",{later}," in back[1]


def test_an_xlsx_export_imports_again_unchanged(database_url: str, tmp_path: Path) -> None:
    youthbot(database_url, "opportunities", "import",
             write(tmp_path / "o.csv", [opportunity(n) for n in range(1, 31)]))
    assert youthbot(database_url, "opportunities", "export", tmp_path / "o.xlsx").exit_code == 0

    result = youthbot(database_url, "opportunities", "import", tmp_path / "o.xlsx")

    assert "0 added, 0 updated, 30 unchanged" in result.stdout


def test_open_lists_only_what_users_may_see_most_urgent_first(
    database_url: str, tmp_path: Path
) -> None:
    rows = [opportunity(1, deadline=(TODAY + timedelta(days=40)).isoformat()),
            opportunity(2, deadline=(TODAY + timedelta(days=5)).isoformat()),
            opportunity(3, deadline=""), opportunity(4, published="no")]
    youthbot(database_url, "opportunities", "import",
             write(tmp_path / "o.csv", rows, OPPORTUNITY_HEADER))

    listing = youthbot(database_url, "opportunities", "list", "--open").stdout.splitlines()

    assert [line.split()[0] for line in listing[1:]] == ["opp-002", "opp-001", "opp-003"]


def test_services_import_list_refuse_and_export(database_url: str, tmp_path: Path) -> None:
    good = write(tmp_path / "s.csv", [service(n) for n in range(1, 4)], SERVICE_HEADER)
    assert "3 added" in youthbot(database_url, "services", "import", good).stdout
    bad = write(tmp_path / "bad.csv", [service(1, topics="jobs,nosuchpage"),
                                        service(2, checked="2999-01-01", phone="")])

    refused = youthbot(database_url, "services", "import", bad)

    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"{bad}: row 2, topics: 'nosuchpage' not among content page ids",
        f"{bad}: row 3, checked: 2999-01-01 is in the future",
        f"{bad}: 2 problem(s); nothing imported",
    ]
    listing = youthbot(database_url, "services", "list").stdout
    assert "svc-01" in listing and "jobs,jobs.portal" in listing
    exported(database_url, tmp_path, "services")
    again = youthbot(database_url, "services", "import", tmp_path / "export-services.csv")
    assert "0 added, 0 updated, 3 unchanged" in again.stdout


def test_a_file_with_wrong_columns_names_them(database_url: str, tmp_path: Path) -> None:
    row = opportunity(1)
    row["deadlin"] = row.pop("deadline")
    bad = write(tmp_path / "cols.csv", [row])

    result = youthbot(database_url, "opportunities", "import", bad)

    assert result.exit_code == 1
    assert f"{bad}: header, deadlin: is not a column of this file" in result.stderr
    assert f"{bad}: header, deadline: is missing" in result.stderr
