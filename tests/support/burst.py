"""A burst of messages from many users to a webhook, posted as the platforms post them: each
chat's messages one after another, a message posted again until it gets its 200 (Telegram and
Twilio redeliver what was not acknowledged, connection refused included); and the real
``youthbot run`` as a subprocess that a test can kill with SIGKILL and start again."""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text

from bot.storage.database import create_engine

YOUTHBOT = str(Path(sys.executable).parent / "youthbot")
MESSAGES = ("menu", "2", "1", "menu", "3")
"""Menu, jobs, a jobs page, menu, business: one reply each, for a new user too."""
REDELIVERY_PAUSE = 0.2

Post = Callable[[int, int], Awaitable[int]]
"""Post user ``n``'s message number ``k`` once; returns the HTTP status (raises on no answer)."""


@dataclass
class Burst:
    """Every user's messages in order, ``concurrency`` users at a time; counts acknowledged
    posts, so a test can act when a share of them is in."""

    users: Sequence[int]
    messages: int
    concurrency: int
    acknowledged: int = 0
    redelivered: int = 0
    progress: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, post: Post) -> None:
        slots = asyncio.Semaphore(self.concurrency)

        async def user(n: int) -> None:
            async with slots:
                for k in range(self.messages):
                    while not await self._posted(post, n, k):
                        self.redelivered += 1
                        await asyncio.sleep(REDELIVERY_PAUSE)
                    self.acknowledged += 1
                    self.progress.set()

        await asyncio.gather(*(user(n) for n in self.users))

    async def reached(self, count: int) -> None:
        while self.acknowledged < count:
            self.progress.clear()
            await self.progress.wait()

    @staticmethod
    async def _posted(post: Post, n: int, k: int) -> bool:
        try:
            return await post(n, k) == 200
        except httpx.TransportError:  # refused while the bot is down, reset when it was killed
            return False


class Bot:
    """``youthbot run`` on a fixed port, killed with SIGKILL and started again at will."""

    def __init__(self, env: dict[str, str], port: int, folder: Path) -> None:
        self._env = {**os.environ, **env, "PORT": str(port), "HOST": "127.0.0.1",
                     "NO_PROXY": "127.0.0.1,localhost"}
        self.url = f"http://127.0.0.1:{port}"
        self._folder = folder
        self._process: subprocess.Popen[bytes] | None = None
        self._logs: list[Path] = []

    async def start(self) -> None:
        log = self._folder / f"bot-{len(self._logs)}.log"
        self._logs.append(log)
        with log.open("wb") as out:
            self._process = subprocess.Popen([YOUTHBOT, "run"], env=self._env, cwd=self._folder,
                                             stdout=out, stderr=subprocess.STDOUT)
        await self._healthy()

    def kill(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait()

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def logs(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self._logs)

    async def _healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(trust_env=False, timeout=2) as client:
            while time.monotonic() < deadline:
                assert self._process is not None
                if self._process.poll() is not None:
                    break
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{self.url}/healthz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise AssertionError(f"youthbot run not healthy:\n{self.logs()[-3000:]}")


async def in_flight(database_url: str) -> Counter[str]:
    """Per chat, the outbox rows leased and not settled: replies whose sending a killed process
    may or may not have finished (the platform cannot be asked which)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text(
                "SELECT address FROM outbox WHERE sent_at IS NULL AND lease_until IS NOT NULL"))
            return Counter(row.address for row in rows)
    finally:
        await engine.dispose()


async def received_all(
    replies: Callable[[], dict[int, list[str]]], expected: int, users: Sequence[int],
    timeout: float,
) -> dict[int, list[str]]:
    """Each user's replies once every user has ``expected`` of them (then a sweep's time more,
    for duplicates), or when ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = replies()
        if all(len(got.get(n, [])) >= expected for n in users):
            await asyncio.sleep(3.0)  # the outbox sweep runs every 2 s
            return replies()
        await asyncio.sleep(0.2)
    return replies()


def without_repeats(replies: list[str], repeats: int) -> list[str]:
    """``replies`` with at most ``repeats`` immediate repetitions taken out."""
    kept: list[str] = []
    for reply in replies:
        if repeats and kept and kept[-1] == reply:
            repeats -= 1
            continue
        kept.append(reply)
    return kept


def migrate(database_url: str) -> None:
    """As in production: PostgreSQL's schema comes from ``youthbot db upgrade`` (``run``
    migrates the embedded SQLite by itself)."""
    if not database_url.startswith("sqlite"):
        upgrade = subprocess.run([YOUTHBOT, "db", "upgrade"], capture_output=True, text=True,
                                 env={**os.environ, "DATABASE_URL": database_url}, check=False)
        assert upgrade.returncode == 0, upgrade.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
