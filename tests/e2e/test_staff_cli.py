"""``youthbot staff`` as an admin runs it: add, list, disable; and the settings' Telegram ids
becoming caseworkers when the bot starts."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.support import program

SECRET = "a long enough secret"


@pytest.fixture(autouse=True)
def _trained_model(nlu_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLU_MODEL_DIR", str(nlu_model_dir))


def staff(*args: str, stdin: str = "", cwd: Path, database_url: str, command: str = "staff",
          **env: str) -> subprocess.CompletedProcess[str]:
    return program.run([command, *args], stdin=stdin, cwd=cwd,
                       env={**os.environ, "DATABASE_URL": database_url, **env})


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> tuple[str, Path]:
    folder = tmp_path / "admin"
    folder.mkdir()
    if not database_url.startswith("sqlite"):
        done = staff("upgrade", command="db", cwd=folder, database_url=database_url)
        assert done.returncode == 0, done.stderr
    return database_url, folder


def test_add_list_and_disable_a_member(db: tuple[str, Path]) -> None:
    url, cwd = db
    added = staff("add", "Dita.Hoxha@Example.org", "--name", "Dita Hoxha", "--role",
                  "supervisor", "--telegram-id", "9001", cwd=cwd, database_url=url)
    assert added.returncode == 0, added.stderr
    [password] = [line.split(": ", 1)[1] for line in added.stdout.splitlines()
                  if line.startswith("one-time password: ")]
    assert len(password) >= 12
    partner = staff("add", "erion@puna.al", "--name", "Erion", "--role", "partner", "--partner",
                    "Puna Kukës", "--password-stdin", stdin=SECRET + "\n", cwd=cwd,
                    database_url=url)
    assert partner.returncode == 0, partner.stderr
    assert "one-time password" not in partner.stdout

    listing = staff("list", cwd=cwd, database_url=url)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "role", "email", "telegram_id", "partner", "state"]
    assert "Dita Hoxha" in lines[1] and "dita.hoxha@example.org" in lines[1] and "9001" in lines[1]
    assert "Puna Kukës" in lines[2] and "active" in lines[2]
    assert password not in listing.stdout and "argon2" not in listing.stdout

    again = staff("add", "dita.hoxha@example.org", "--name", "D", "--role", "admin", cwd=cwd,
                  database_url=url)
    assert again.returncode == 2 and "already" in again.stderr

    disabled = staff("disable", "DITA.HOXHA@example.org", cwd=cwd, database_url=url)
    assert disabled.returncode == 0, disabled.stderr
    assert "disabled" in staff("list", cwd=cwd, database_url=url).stdout.splitlines()[1]
    assert staff("disable", "nobody@example.org", cwd=cwd, database_url=url).returncode == 1


@pytest.mark.parametrize(("args", "says"), [
    (["not-an-email", "--name", "X", "--role", "caseworker"], "not an e-mail address"),
    (["x@example.org", "--name", "X", "--role", "boss"], "unknown role 'boss'"),
    (["x@example.org", "--name", "X", "--role", "partner"], "--partner"),
])
def test_bad_input_gets_one_clear_line_and_exit_2(
    db: tuple[str, Path], args: list[str], says: str,
) -> None:
    url, cwd = db
    done = staff("add", *args, cwd=cwd, database_url=url)
    assert done.returncode == 2
    assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_the_settings_staff_ids_become_caseworkers_at_start(db: tuple[str, Path]) -> None:
    url, cwd = db
    staff("add", "ana@example.org", "--name", "Ana", "--role", "admin", "--telegram-id", "9001",
          cwd=cwd, database_url=url)
    for _ in range(2):  # a second start adds nobody twice
        chat = staff("--user", "t1", command="chat", stdin="menu\n", cwd=cwd, database_url=url,
                     TELEGRAM_STAFF_USER_IDS="9001, 9003")
        assert chat.returncode == 0, chat.stderr
    rows = staff("list", cwd=cwd, database_url=url).stdout.splitlines()[1:]
    assert len(rows) == 2
    assert "admin" in rows[0] and "9001" in rows[0]  # already a member: left as they are
    assert rows[1].split()[2:] == ["caseworker", "-", "9003", "-", "active"]


def test_password_gives_a_member_a_new_one_and_a_telegram_caseworker_an_email(
    db: tuple[str, Path],
) -> None:
    url, cwd = db
    added = staff("add", "anna@example.org", "--name", "Anna", "--role", "caseworker",
                  cwd=cwd, database_url=url)
    assert added.returncode == 0, added.stderr
    chosen = staff("password", "anna@example.org", "--password-stdin", stdin=SECRET + "\n",
                   cwd=cwd, database_url=url)
    assert chosen.returncode == 0, chosen.stderr
    assert "one-time password" not in chosen.stdout and SECRET not in chosen.stdout
    made = staff("password", "Anna@Example.org", cwd=cwd, database_url=url)
    assert made.returncode == 0 and "one-time password: " in made.stdout

    unknown = staff("password", "nobody@example.org", cwd=cwd, database_url=url)
    assert unknown.returncode == 2 and "no staff member nobody@example.org" in unknown.stderr
    no_member = staff("password", "ben@example.org", "--telegram-id", "9009", cwd=cwd,
                      database_url=url)
    assert no_member.returncode == 2 and "Telegram id 9009" in no_member.stderr
    short = staff("password", "anna@example.org", "--password-stdin", stdin="short\n",
                  cwd=cwd, database_url=url)
    assert short.returncode == 2 and "8 characters" in short.stderr
