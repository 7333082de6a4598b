"""``youthbot report``: a period's figures as JSON, from the read side, in a folder of its own."""

import csv
import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import Referral
from tests.support import program, quarter


def youthbot(*args: str, cwd: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    return program.run(list(args), cwd=cwd, env={**os.environ, "DATABASE_URL": database_url})


async def test_report_writes_the_quarters_figures_as_json(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    async with session_factory(engine)() as session:
        for (month, day), status in (((1, 5), "closed"), ((1, 31), "new"), ((2, 1), "new")):
            at = datetime(2026, month, day, 12, 0, tzinfo=UTC)
            session.add(Referral(topic="jobs", priority="normal", channel="telegram",
                                 status=status, created_at=at, updated_at=at,
                                 contact="+355691234567"))
        await session.commit()
    await engine.dispose()
    out = tmp_path / "out" / "q1.json"

    done = youthbot("report", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out),
                    cwd=tmp_path, database_url=database_url)
    printed = youthbot("report", cwd=tmp_path, database_url=database_url)
    backwards = youthbot("report", "--from", "2026-02-01", "--to", "2026-01-01", cwd=tmp_path,
                         database_url=database_url)

    assert done.returncode == 0, done.stderr
    assert "2026-01-01 – 2026-01-31" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["period"] == {"from": "2026-01-01", "to": "2026-01-31"}
    assert data["referrals"]["total"] == 2
    assert data["referrals"]["by_status"] == {"closed": 1, "new": 1}
    assert [row["priority"] for row in data["timings"]] == ["urgent", "high", "normal"]
    assert data["profiles"] == {"by_status": {}, "by_municipality": {}, "by_age_band": {},
                                "by_gender": {}}
    assert "+355691234567" not in out.read_text(encoding="utf-8")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["referrals"]["total"] == 3
    assert backwards.returncode != 0 and "before it starts" in backwards.stderr


SHEETS_SQ = ["Kopertina", "Fushatat", "Të rinj sipas kanalit", "Të rinj sipas gjuhës",
             "Pyetja e profilit", "Profili sipas bashkisë", "Profili sipas moshës",
             "Profili sipas gjinisë", "Kërkesat sipas gjendjes", "Përfundimet", "A ndihmoi",
             "Kërkesat sipas temës", "Kërkesat sipas përparësisë", "Bashkitë", "Moshat",
             "Gjinia", "Partnerët", "Koha e përgjigjes", "Koha e përgjigjes sipas muajit",
             "Mundësitë"]
"""The sheets the README names, in Albanian."""


async def _seeded_quarter(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    async with session_factory(engine)() as session:
        await quarter.seed(session)
    await engine.dispose()


async def test_report_writes_the_published_quarter_as_xlsx_csv_or_json_by_extension(
    database_url: str, tmp_path: Path
) -> None:
    await _seeded_quarter(database_url)
    env = {"RETENTION_DAYS": "36500"}  # the quarter's message log counts, whatever today is

    def report(out: str, *more: str) -> subprocess.CompletedProcess[str]:
        return program.run(
            ["report", "--from", "2026-07-01", "--to", "2026-09-30", "--out", out, *more],
            cwd=tmp_path, env={**os.environ, "DATABASE_URL": database_url, **env})

    xlsx, csv_done, json_done = (report("q3.xlsx"), report("out/q3.csv", "--lang", "en"),
                                 report("q3.json"))

    assert xlsx.returncode == 0, xlsx.stderr
    assert "2026-07-01 – 2026-09-30" in xlsx.stdout
    book = openpyxl.load_workbook(tmp_path / "q3.xlsx")
    assert book.sheetnames == SHEETS_SQ
    cover = [tuple(row) for row in book["Kopertina"].iter_rows(values_only=True)]
    assert cover[:2] == [("Raporti i programit", None), ("Periudha", "2026-07-01 – 2026-09-30")]
    assert cover[2][0] == "Krijuar më" and cover[2][1].endswith("UTC")
    assert cover[3][1].startswith('Çdo numër nën 5 shfaqet si "<5"')
    funnel = [tuple(row) for row in book["Fushatat"].iter_rows(values_only=True)]
    assert funnel[0] == ("Fushata", "Hapje me lidhjen", "Të rinj të ardhur",
                         "Folën me botin (2+ mesazhe)", "Kërkuan një person",
                         "Kërkesë e mbyllur", "Përfundim pozitiv")
    assert funnel[1:3] == [("Postera Kukës", 14, 12, 9, 7, 6, 5),
                           ("TikTok Has", 8, 6, 5, "<5", "<5", "<5")]
    places = {row[0]: row[1] for row in book["Bashkitë"].iter_rows(min_row=2, values_only=True)}
    assert places == {"Kukës": 8, "Has": "<5", "Tropojë": "<5", "Pa të dhënë": "<5",
                      "Gjithsej": "*"}
    channels = [tuple(r) for r in book["Të rinj sipas kanalit"].iter_rows(values_only=True)]
    assert channels[0] == ("Kanali", "Numri") and ("Gjithsej", "*") in channels
    numbers = [cell.value for sheet in book.worksheets[1:] for row in sheet.iter_rows(min_row=2)
               for cell in row[1:] if isinstance(cell.value, int)]
    assert numbers and min(numbers) >= 5

    assert csv_done.returncode == 0, csv_done.stderr
    lines = list(csv.reader((tmp_path / "out" / "q3.csv").read_text(encoding="utf-8")
                            .splitlines()))
    assert lines[0] == ["table", "row", "column", "value"]
    assert ["Cover", "Period", "", "2026-07-01 – 2026-09-30"] in lines
    assert ["Campaigns", "Postera Kukës", "Positive outcome", "5"] in lines
    assert ["Campaigns", "Shkolla Tropojë", "New users", "<5"] in lines
    assert ["New users by channel", "Total", "Count", "*"] in lines

    assert json_done.returncode == 0, json_done.stderr
    raw = json.loads((tmp_path / "q3.json").read_text(encoding="utf-8"))
    assert raw["new_users"]["total"] == 25  # the JSON is raw, for the programme itself
    assert [row["positive"] for row in raw["campaign_funnel"]] == [5, 1, 0, 0]
    for written in ("q3.xlsx", "out/q3.csv", "q3.json"):
        assert b"+355691234567" not in (tmp_path / written).read_bytes()


def test_report_refuses_an_unknown_extension_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'none.db'}"}

    done = program.run(["report", "--out", "q3.pdf"], cwd=tmp_path, env=env)
    language = program.run(["report", "--out", "q3.csv", "--lang", "de"], cwd=tmp_path, env=env)

    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "Error: --out q3.pdf: the file must end with .xlsx, .csv, .json"]
    assert "Traceback" not in done.stderr and not (tmp_path / "q3.pdf").exists()
    assert language.returncode == 2 and len(language.stderr.strip().splitlines()) == 1
