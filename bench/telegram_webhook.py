"""Benchmark of the Telegram webhook path: throughput in, latency to the reply, nothing lost.

    .venv/bin/python bench/telegram_webhook.py [--users 1000] [--messages-per-user 5]
                                               [--concurrency 100]

Creates a throwaway PostgreSQL database (127.0.0.1:5432, user postgres), migrates it with
``youthbot db upgrade``, serves the fake Bot API (tests/fakes) on loopback from a thread of this
process, and starts ``youthbot run`` as a subprocess in webhook mode against it. A dry run with 3
users checks that every message gets exactly one reply; then every simulated user (a private
chat) POSTs its messages to /webhooks/telegram one after another, each as soon as the previous
POST returned, all users at once through a pool of ``--concurrency`` connections. Prints:

- inbound msgs/s: messages / (first POST sent .. last POST answered);
- p50/p99 latency: the fake's arrival time of a chat's k-th sendMessage minus the time the
  chat's k-th webhook POST went on the wire (after waiting for a pooled connection);
- lost / duplicated replies, per chat against one reply a message, and non-200 POSTs.

Target on the reference machine: >= 300 msgs/s, p99 < 250 ms, 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from starlette.requests import ClientDisconnect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.fakes; bench/ itself comes first when run as a script

from bot.channels.telegram import TYPING_AFTER  # noqa: E402
from tests.fakes.server import serving  # noqa: E402
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI  # noqa: E402

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
YOUTHBOT = ROOT / ".venv" / "bin" / "youthbot"
SECRET = "bench-webhook-secret"
MESSAGES = ["menu", "2", "1", "menu", "3"]
"""Menu, jobs, a jobs page, menu, business: one reply each, for a new user too."""
MAX_RATE = 100_000  # the fake has no flood limit; production keeps TELEGRAM_MAX_RATE=30
DRY_RUN_CHATS = range(1_000_001, 1_000_004)
NO_PROGRESS = 30.0
SETTLE = 3.0
"""Seconds to keep watching after the last expected reply, for duplicates (sweep: every 2 s)."""


class HungUp(logging.Filter):
    """Counts instead of printing the fake's tracebacks for requests the bot dropped before
    their body: it cancels a "typing..." action still in flight once the turn is done."""

    count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        dropped = record.exc_info is not None and isinstance(record.exc_info[1], ClientDisconnect)
        self.count += dropped
        return not dropped


class FakeTelegram:
    """The fake Bot API under uvicorn in a thread with its own event loop."""

    def __enter__(self) -> FakeTelegram:
        self.hung_up = HungUp()
        logging.getLogger("uvicorn.error").addFilter(self.hung_up)
        ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve(ready)), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    async def _serve(self, ready: threading.Event) -> None:
        self.api, self._loop, self._stop = FakeBotAPI(), asyncio.get_running_loop(), asyncio.Event()
        async with serving(self.api) as url:
            self.url = url
            ready.set()
            await self._stop.wait()

    def __exit__(self, *_exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def count(self, method: str) -> int:
        return sum(call.method == method for call in list(self.api.calls))

    def replies(self) -> dict[int, list[float]]:
        """Arrival times of the successful sendMessage calls, by chat, in order."""
        times: dict[int, list[float]] = defaultdict(list)
        for call in list(self.api.calls):
            chat = call.params.get("chat_id")  # {} while the fake is still reading the body
            if call.method == "sendMessage" and call.status == 200 and chat is not None:
                times[int(chat)].append(call.at)
        return times


@dataclass
class Load:
    sent: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: int = 0
    seconds: float = 0.0


def telegram_update(update_id: int, chat: int, message_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id, "date": int(time.time()), "text": text,
        "chat": {"id": chat, "type": "private", "first_name": f"User{chat}"},
        "from": {"id": chat, "is_bot": False, "first_name": f"User{chat}", "language_code": "sq"},
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


async def load(webhook: str, chats: range, messages: list[str], concurrency: int,
               update_ids: itertools.count[int]) -> Load:
    """Every chat sends its messages in turn; all chats at once, ``concurrency`` in flight."""
    result, slots = Load(), asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=60,
                                 trust_env=False) as client:
        async def user(chat: int) -> None:
            for number, text in enumerate(messages, 1):
                body = telegram_update(next(update_ids), chat, number, text)
                async with slots:  # as many slots as connections: no wait inside httpx
                    result.sent[chat].append(time.monotonic())
                    try:
                        ok = (await client.post(webhook, json=body)).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                result.errors += not ok

        started = time.monotonic()
        await asyncio.gather(*(user(chat) for chat in chats))
        result.seconds = time.monotonic() - started
    return result


async def collect(fake: FakeTelegram, chats: range, expected: int) -> dict[int, list[float]]:
    """The chats' replies once all expected arrived (plus SETTLE), or after NO_PROGRESS idle."""
    count, progress, complete = -1, time.monotonic(), None
    while True:
        replies = {chat: times for chat, times in fake.replies().items() if chat in chats}
        now, total = time.monotonic(), sum(map(len, replies.values()))
        if total != count:
            count, progress = total, now
        if total >= expected and complete is None:
            complete = now
        if (complete is not None and now - complete >= SETTLE) or now - progress >= NO_PROGRESS:
            return replies
        await asyncio.sleep(0.1)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(url: str, bot: subprocess.Popen[bytes], log: Path,
                       timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline and bot.poll() is None:
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    raise RuntimeError(f"the bot did not become healthy (exit code {bot.poll()}):\n{tail}")


def stop(bot: subprocess.Popen[bytes]) -> None:
    if bot.poll() is None:
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()


async def bench(args: argparse.Namespace, folder: Path, database: str) -> None:
    env = os.environ | {
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
        "NLU_MODEL_DIR": str(folder / "nlu"), "LOG_LEVEL": "WARNING",
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    }
    # cwd is the temporary folder, so no .env of a developer's (with real tokens) is read.
    subprocess.run([YOUTHBOT, "db", "upgrade"], env=env, cwd=folder, check=True,
                   stdout=subprocess.DEVNULL)
    port, bot_log = free_port(), folder / "bot.log"
    with FakeTelegram() as fake, bot_log.open("wb") as log_file:
        env |= {
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{fake.url}/bot",
            "TELEGRAM_WEBHOOK_URL": "https://bench.invalid/webhooks/telegram",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MAX_RATE": str(MAX_RATE),
            "HOST": "127.0.0.1", "PORT": str(port),
        }
        bot = subprocess.Popen([YOUTHBOT, "run"], env=env, cwd=folder,
                               stdout=log_file, stderr=subprocess.STDOUT)
        try:
            bot_url = f"http://127.0.0.1:{port}"
            await wait_healthy(bot_url, bot, bot_log)
            webhook, update_ids = f"{bot_url}/webhooks/telegram", itertools.count(1)

            dry = await load(webhook, DRY_RUN_CHATS, MESSAGES, 3, update_ids)
            got = await collect(fake, DRY_RUN_CHATS, len(DRY_RUN_CHATS) * len(MESSAGES))
            counts = [len(got.get(chat, [])) for chat in DRY_RUN_CHATS]
            if dry.errors or counts != [len(MESSAGES)] * len(DRY_RUN_CHATS):
                raise RuntimeError(f"dry run: replies per chat {counts} for {len(MESSAGES)} "
                                   f"messages each, {dry.errors} failed POSTs; adapt MESSAGES")

            chats = range(1, args.users + 1)
            messages = list(itertools.islice(itertools.cycle(MESSAGES), args.messages_per_user))
            typing_actions = -fake.count("sendChatAction")
            run = await load(webhook, chats, messages, args.concurrency, update_ids)
            replies = await collect(fake, chats, len(chats) * len(messages))
            typing_actions += fake.count("sendChatAction")
        finally:
            stop(bot)
    latencies = [(reply - sent) * 1000 for chat in chats
                 for sent, reply in zip(run.sent[chat], replies.get(chat, []))]
    received = {chat: len(replies.get(chat, [])) for chat in chats}
    total = len(chats) * len(messages)
    print(f"users                {len(chats)}")
    print(f"messages             {total}")
    print(f"inbound msgs/s       {total / run.seconds:.0f}  ({run.seconds:.1f} s)")
    if latencies:
        print(f"latency p50          {percentile(latencies, 50):.0f} ms")
        print(f"latency p99          {percentile(latencies, 99):.0f} ms")
    print(f"lost replies         {sum(max(0, len(messages) - n) for n in received.values())}")
    print(f"duplicated replies   {sum(max(0, n - len(messages)) for n in received.values())}")
    print(f"errors (non-200)     {run.errors}")
    print(f"typing actions       {typing_actions} (sendChatAction: turns slower than "
          f"{TYPING_AFTER:g} s)"
          + (f", {fake.hung_up.count} cancelled mid-request" if fake.hung_up.count else ""))
    print(f"settings             TELEGRAM_MAX_RATE={MAX_RATE} (the fake has no flood limit; "
          f"production keeps 30/s), connection pool {args.concurrency}, PostgreSQL")
    logged = bot_log.read_text(errors="replace").splitlines()
    if logged:
        print(f"bot log              {len(logged)} line(s) at WARNING or above, first:")
        for line in logged[:5]:
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                line = f"{entry['level']} {entry['logger']}: {entry['event']}"
            print(f"  {line[:160]}")


async def main(args: argparse.Namespace) -> None:
    database = f"youthbot_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{database}"')
        with tempfile.TemporaryDirectory(prefix="youthbot-bench-") as folder:
            await bench(args, Path(folder), database)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--messages-per-user", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=100,
                        help="connections (and POSTs in flight) to the webhook at once")
    asyncio.run(main(parser.parse_args()))
