"""Real ``youthbot run`` processes on one database, the fake Bot API in a process of its own
(bench/fake_telegram.py, so its arrival times do not wait on the test's own work), and
Telegram updates posted to the web workers' webhooks."""

import asyncio
import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
YOUTHBOT = str(Path(sys.executable).parent / "youthbot")
SECRET = "workers-test-secret"
LOOPBACK = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
UPDATE_IDS = itertools.count(1)
"""Telegram's update ids: never the same twice (the bot drops a repeated one)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeTelegramProcess:
    """bench/fake_telegram.py as a subprocess; what it recorded, read over HTTP."""

    def __enter__(self) -> "FakeTelegramProcess":
        self.process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "fake_telegram.py")],
                                        stdout=subprocess.PIPE, env=os.environ | LOOPBACK)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().decode().strip()
        assert self.url, "the fake Bot API did not start"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)
        assert self.process.stdout is not None
        self.process.stdout.close()

    async def messages(self) -> list[tuple[int, float, str]]:
        """Every successful sendMessage: (chat id, arrival on the monotonic clock, text)."""
        async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
            answer = (await client.get(f"{self.url}/bench/messages")).json()
        return [(int(chat), float(at), str(text)) for chat, at, text in answer]


class Worker:
    """One ``youthbot run --role ROLE`` process, its log in a file."""

    def __init__(self, role: str, env: dict[str, str], folder: Path, name: str) -> None:
        self.role, self.name, self.port = role, name, free_port()
        self.log = folder / f"{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [YOUTHBOT, "run", "--role", role], cwd=folder, stdout=log,
                stderr=subprocess.STDOUT, env=env | {"PORT": str(self.port)})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def events(self) -> list[dict[str, Any]]:
        lines = self.log.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def leads(self, lock: str) -> bool:
        """Whether it took the lock (and has not logged losing it)."""
        mine = [e["event"] for e in self.events() if e.get("lock") == lock]
        return bool(mine) and mine[-1] == "leading"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


async def healthy(workers: list[Worker], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(trust_env=False, timeout=2) as client:
        for worker in workers:
            while True:
                assert worker.process.poll() is None, worker.log.read_text()[-3000:]
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{worker.url}/healthz")).status_code == 200:
                        break
                assert time.monotonic() < deadline, f"{worker.name} not healthy"
                await asyncio.sleep(0.2)


def update(update_id: int, chat: int, message_id: int, text: str) -> dict[str, Any]:
    """A private chat's text message, as Telegram posts it."""
    who = {"id": chat, "is_bot": False, "first_name": f"User{chat}", "language_code": "sq"}
    return {"update_id": update_id, "message": {
        "message_id": message_id, "date": int(time.time()), "text": text,
        "chat": {"id": chat, "type": "private", "first_name": who["first_name"]}, "from": who}}


async def post_alternately(webhooks: list[str], chats: range, texts: list[str],
                           concurrency: int) -> list[int]:
    """Each chat posts its texts one after another, the k-th to webhook k mod n; all chats
    at once, ``concurrency`` POSTs in flight. Returns the statuses that were not 200."""
    slots, failed = asyncio.Semaphore(concurrency), []
    limits = httpx.Limits(max_connections=concurrency * len(webhooks), keepalive_expiry=2.0)
    async with httpx.AsyncClient(limits=limits, timeout=60, trust_env=False,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as client:
        async def chat(number: int) -> None:
            for k, text in enumerate(texts):
                async with slots:
                    response = await client.post(webhooks[k % len(webhooks)],
                                                 json=update(next(UPDATE_IDS), number, k + 1, text))
                if response.status_code != 200:
                    failed.append(response.status_code)

        await asyncio.gather(*(chat(number) for number in chats))
    return failed
