"""The ``youthbot`` program as the e2e tests run it: a process of its own, whose output is
searched for the suite's secrets (:mod:`tests.support.secrets`)."""

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER
from tests.support import secrets

YOUTHBOT = str(Path(sys.executable).parent / "youthbot")


def run(args: list[str], *, env: dict[str, str], cwd: Path | None = None, stdin: str = "",
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``youthbot ARGS`` to its end; stdout and stderr are checked for secrets."""
    done = subprocess.run([YOUTHBOT, *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout, check=False)
    watch(done.stdout, done.stderr, args)
    return done


def watch(stdout: str, stderr: str, args: list[str]) -> None:
    """The output of a ``youthbot`` process, searched for the suite's secrets."""
    where = f"`youthbot {' '.join(args[:2])}`"
    secrets.check(stderr, f"the stderr of {where}")
    secrets.check(stdout, f"the stdout of {where}")


def migrate(database_url: str) -> None:
    """As in production: PostgreSQL's schema comes from ``youthbot db upgrade``."""
    if not database_url.startswith("sqlite"):
        upgrade = run(["db", "upgrade"], env={**os.environ, "DATABASE_URL": database_url})
        assert upgrade.returncode == 0, upgrade.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def healthy(url: str, timeout: float) -> None:
    """Wait until ``url`` answers 200."""
    async with httpx.AsyncClient(trust_env=False) as client:
        for _ in range(int(timeout * 10)):
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} not healthy within {timeout}s")


def whatsapp_env(database_url: str, nlu_model_dir: Path, twilio_url: str, public: str,
                 port: int) -> dict[str, str]:
    """The environment of a `youthbot run` on ``port`` with WhatsApp on through the fake Twilio
    at ``twilio_url`` (which posts to ``public``); add Telegram's settings to taste."""
    return {**os.environ, "DATABASE_URL": database_url, "NLU_MODEL_DIR": str(nlu_model_dir),
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_NUMBER": BOT_NUMBER, "TWILIO_API_BASE_URL": twilio_url,
            "PUBLIC_BASE_URL": public, "PORT": str(port), "LOG_LEVEL": "INFO",
            "NO_PROXY": "127.0.0.1,localhost"}
