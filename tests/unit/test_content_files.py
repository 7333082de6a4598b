"""A content file that cannot be read is reported like any other problem: its name, what is
wrong, one line; ``youthbot content check`` exits 1 without a traceback."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import LOCALES, Settings
from bot.content import ContentError, load

CONTENT = Settings(_env_file=None).content_dir  # type: ignore[call-arg]
YOUTHBOT = str(Path(sys.executable).parent / "youthbot")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def _break(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


BREAKAGES = {
    "an impossible date": (b"review_by: 2027-06-01", b"review_by: 2027-02-31",
                           r"line \d+, column \d+: impossible date 2027-02-31"),
    "not UTF-8": ("Punë".encode(), "Punë".encode("latin-1"), r"not UTF-8 \(byte 0xeb"),
    "a YAML syntax error": (b"pages:", b"pages: [", r"line \d+, column \d+: "),
}


@pytest.mark.parametrize("kind", BREAKAGES)
def test_an_unreadable_file_is_one_problem_named_by_its_file(broken: Path, kind: str) -> None:
    old, new, says = BREAKAGES[kind]
    jobs = broken / "sq" / "jobs.yml"
    _break(jobs, old, new)

    with pytest.raises(ContentError) as raised:
        load(broken, LOCALES)

    [problem] = [p for p in raised.value.problems if str(jobs) in p]
    assert "\n" not in problem
    assert re.search(says, problem), problem


def test_a_list_where_the_pages_mapping_belongs_is_reported(broken: Path) -> None:
    (broken / "sq" / "jobs.yml").write_text("- id: jobs\n- id: jobs.portal\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"jobs\.yml: expected a mapping at the top "
                                           r"\(pages: or keywords:\), found a list"):
        load(broken, LOCALES)


def test_content_check_reports_it_and_exits_1_without_a_traceback(broken: Path) -> None:
    _break(broken / "en" / "jobs.yml", b"review_by: 2027-06-01", b"review_by: 2027-02-31")

    done = subprocess.run([YOUTHBOT, "content", "check"], capture_output=True, text=True,
                          env={"CONTENT_DIR": str(broken), "PATH": ""}, timeout=60, check=False)

    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "en/jobs.yml" in done.stdout + done.stderr
    assert "impossible date 2027-02-31" in done.stdout + done.stderr
