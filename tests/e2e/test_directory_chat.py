"""The acceptance point on Tropojë, as staff and a young person meet it: the real program
imports a fictional directory (``youthbot services import``), then a user in Tropojë asks in
the terminal where the employment office is."""

import os
import subprocess
from pathlib import Path

import pytest

from bot.i18n import load_translator
from tests.support import program
from tests.support.directory import OFFICES, write_file

SQ = load_translator("sq")


@pytest.fixture(autouse=True)
def _trained_model(nlu_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLU_MODEL_DIR", str(nlu_model_dir))


def youthbot(*args: object, stdin: str = "", cwd: Path,
             database_url: str) -> subprocess.CompletedProcess[str]:
    return program.run([str(a) for a in args], stdin=stdin, cwd=cwd,
                       env={**os.environ, "DATABASE_URL": database_url})


def test_a_user_in_tropoje_gets_the_bajram_curri_office_not_kukes_first(
    database_url: str, tmp_path: Path
) -> None:
    program.migrate(database_url)
    offices = write_file(tmp_path / "directory.csv", list(OFFICES.values()))
    imported = youthbot("services", "import", offices, cwd=tmp_path, database_url=database_url)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == f"{offices}: 3 added, 0 updated, 0 unchanged"

    asked = youthbot("chat", "--user", "t1", stdin="menu\nku osht zyra e punsimit n tropoj\n",
                     cwd=tmp_path, database_url=database_url)

    assert asked.returncode == 0, asked.stderr
    answer = asked.stdout.split(SQ("directory.name", name="").strip())[1:]  # the entries
    assert len(answer) == 1
    bajram_curri = OFFICES["tropoje"]
    assert SQ("directory.name", name=bajram_curri["title_sq"]) in asked.stdout
    assert SQ("directory.hours", value=bajram_curri["hours"]) in asked.stdout
    assert SQ("directory.phone", value=bajram_curri["phone"]) in asked.stdout
    assert OFFICES["kukes"]["title_sq"] not in asked.stdout
