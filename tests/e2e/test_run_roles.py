"""``youthbot run --role``: combinations that cannot work refuse to start, in one line that
names the setting, with exit code 78 (EX_CONFIG), before anything is started."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

YOUTHBOT = str(Path(sys.executable).parent / "youthbot")
POSTGRES = "postgresql+asyncpg://youthbot@127.0.0.1:1/never"  # never reached: refused first
POLLING = {"DATABASE_URL": POSTGRES, "TELEGRAM_BOT_TOKEN": "123:abc"}


@pytest.mark.parametrize(("role", "settings", "named"), [
    ("web", {}, "DATABASE_URL"),  # the embedded SQLite default: one process
    ("sender", {"DATABASE_URL": "sqlite+aiosqlite:///bot.db"}, "DATABASE_URL"),
    ("web", POLLING, "TELEGRAM_WEBHOOK_URL"),  # long polling is one process's: --role all
    ("sender", POLLING, "TELEGRAM_WEBHOOK_URL"),
])
def test_a_role_that_cannot_work_with_the_settings_refuses_in_one_line(
    role: str, settings: dict[str, str], named: str, tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TWILIO_"))}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([YOUTHBOT, "run", "--role", role], env=env | settings, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 78
    [line] = done.stderr.splitlines()
    assert line.startswith(f"--role {role}: {named}") and "=" in line.split(";")[-1]
    assert "123:abc" not in done.stderr


def test_an_unknown_role_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run([YOUTHBOT, "run", "--role", "worker"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "all" in done.stderr and "scheduler" in done.stderr
