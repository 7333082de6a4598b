"""``youthbot opportunities`` as an operator runs it: the real program, a bad spreadsheet, then a
good one (the process's exit status and its lines, no traceback)."""

import os
import subprocess
from pathlib import Path

from tests.support import program
from tests.support.catalogue_rows import OPPORTUNITY_HEADER, opportunity, write


def youthbot(*args: object, cwd: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    return program.run([str(a) for a in args], stdin="", cwd=cwd,
                       env={**os.environ, "DATABASE_URL": database_url})


def test_a_bad_xlsx_is_refused_then_the_fixed_one_imports(
    database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        assert youthbot("db", "upgrade", cwd=tmp_path, database_url=database_url).returncode == 0
    rows = [opportunity(n) for n in range(1, 6)]
    rows[2] |= {"kind": "course", "min_age": "sixteen"}
    bad = write(tmp_path / "catalogue.xlsx", rows, OPPORTUNITY_HEADER)

    refused = youthbot("opportunities", "import", bad, cwd=tmp_path, database_url=database_url)

    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"{bad}: row 4, kind: 'course' is not one of training, job, internship, grant, other",
        f"{bad}: row 4, min_age: 'sixteen' is not an age in whole years",
        f"{bad}: 2 problem(s); nothing imported",
    ]
    rows[2] |= {"kind": "training", "min_age": "16"}
    good = write(tmp_path / "catalogue.xlsx", rows, OPPORTUNITY_HEADER)
    done = youthbot("opportunities", "import", good, cwd=tmp_path, database_url=database_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{good}: 5 added, 0 updated, 0 unchanged"
    listing = youthbot("opportunities", "list", "--open", cwd=tmp_path, database_url=database_url)
    assert [line.split()[0] for line in listing.stdout.splitlines()[1:]] == [
        "opp-001", "opp-002", "opp-004", "opp-005", "opp-003"]
