"""Benchmark of the Telegram webhook path: throughput in, latency to the reply, nothing lost.

    .venv/bin/python bench/telegram_webhook.py [--users 1000] [--messages-per-user 5]
                                               [--concurrency 100]
    .venv/bin/python bench/telegram_webhook.py --rate 50 [--seconds 30]     # open loop

Creates a throwaway PostgreSQL database (127.0.0.1:5432, user postgres), migrates it with
``youthbot db upgrade``, serves the fake Bot API (tests/fakes) on loopback in a process of its own
(bench/fake_telegram.py), and starts ``youthbot run`` as a subprocess in webhook mode against it.
A dry run with 3 users checks that every message gets exactly one reply; then every simulated
user (a private chat) POSTs its messages to /webhooks/telegram one after another, each as soon as
the previous POST returned, all users at once through a pool of ``--concurrency`` connections
(closed loop: the load waits for the bot). With ``--rate R`` the load is an open loop instead:
R POSTs a second on schedule, answered or not, from R x 5 chats taking turns (each chat writes
every 5 s), for ``--seconds``: the latency the bot gives at a load it does not set itself.
All of it shares the machine's cores: bot, fake Bot API, this load generator and PostgreSQL.
Prints:

- inbound msgs/s: messages / (first POST sent .. last POST answered);
- p50/p99 latency: the fake's arrival time of a chat's k-th sendMessage minus the time the
  chat's k-th webhook POST went on the wire (after waiting for a pooled connection); both
  processes read the same system-wide monotonic clock;
- lost / duplicated replies, per chat against one reply a message, and non-200 POSTs;
- CPU seconds each party used during the load (from /proc, so on Linux only): where the
  machine's time went, and whether the bot had a core to itself.

Targets on the reference machine: >= 300 msgs/s, p99 < 250 ms, 0 lost, 0 duplicated (closed
loop); p99 < 250 ms at 50 msgs/s offered, 0 lost (open loop, issue 11).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.fakes; bench/ itself comes first when run as a script

from webhook_load import (  # noqa: E402
    MESSAGES,
    OPEN_LOOP_PERIOD,
    SECRET,
    load,
    offer,
)
from webhook_support import CpuClock, free_port, percentile, stop, wait_healthy  # noqa: E402

from bot.channels.telegram import TYPING_AFTER  # noqa: E402
from tests.fakes.telegram_bot_api import TOKEN  # noqa: E402

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
YOUTHBOT = ROOT / ".venv" / "bin" / "youthbot"
LOOPBACK = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
MAX_RATE = 100_000  # the fake has no flood limit; production keeps TELEGRAM_MAX_RATE=30
DRY_RUN_CHATS = range(1_000_001, 1_000_004)
NO_PROGRESS = 30.0
SETTLE = 3.0
"""Seconds to keep watching after the last expected reply, for duplicates (sweep: every 2 s)."""


class FakeTelegram:
    """The fake Bot API (bench/fake_telegram.py) as a subprocess, and what it recorded."""

    def __enter__(self) -> FakeTelegram:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "fake_telegram.py")],
            stdout=subprocess.PIPE, env=os.environ | LOOPBACK,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().decode().strip()
        if not self.url:
            raise RuntimeError("the fake Bot API did not start")
        self._client = httpx.AsyncClient(base_url=self.url, trust_env=False, timeout=30)
        return self

    def __exit__(self, *_exc: object) -> None:
        stop(self.process)

    async def close(self) -> None:
        await self._client.aclose()

    async def delivered(self) -> int:
        """How many sendMessage calls succeeded so far."""
        return int((await self._client.get("/bench/count")).json())

    async def calls(self) -> Recorded:
        answer = (await self._client.get("/bench/calls")).json()
        replies: dict[int, list[float]] = defaultdict(list)
        for chat, at in answer["sent"]:
            replies[chat].append(at)
        return Recorded(replies, Counter(answer["methods"]), answer["hung_up"])


@dataclass
class Recorded:
    replies: dict[int, list[float]]
    """Arrival times of the successful sendMessage calls, by chat, in order."""
    methods: Counter[str]
    hung_up: int


async def collect(fake: FakeTelegram, expected: int) -> Recorded:
    """What the fake recorded once ``expected`` replies in all arrived (plus SETTLE), or after
    NO_PROGRESS seconds without a new one."""
    count, progress, complete = -1, time.monotonic(), None
    while True:
        now, total = time.monotonic(), await fake.delivered()
        if total != count:
            count, progress = total, now
        if total >= expected and complete is None:
            complete = now
        if (complete is not None and now - complete >= SETTLE) or now - progress >= NO_PROGRESS:
            return await fake.calls()
        await asyncio.sleep(0.25)



async def bench(args: argparse.Namespace, folder: Path, database: str) -> None:
    env = os.environ | LOOPBACK | {
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
        "NLU_MODEL_DIR": str(folder / "nlu"), "LOG_LEVEL": "WARNING",
        "LOG_SALT": secrets.token_hex(16),  # required on PostgreSQL
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
            got = (await collect(fake, len(DRY_RUN_CHATS) * len(MESSAGES))).replies
            counts = [len(got.get(chat, [])) for chat in DRY_RUN_CHATS]
            if dry.errors or counts != [len(MESSAGES)] * len(DRY_RUN_CHATS):
                raise RuntimeError(f"dry run: replies per chat {counts} for {len(MESSAGES)} "
                                   f"messages each, {dry.errors} failed POSTs; adapt MESSAGES")

            before, cpu = await fake.calls(), CpuClock(bot.pid, fake.process.pid, database)
            cpu.start()
            if args.rate:
                run, chats = await offer(webhook, args.rate, args.seconds, update_ids)
            else:
                chats = range(1, args.users + 1)
                messages = list(itertools.islice(itertools.cycle(MESSAGES),
                                                 args.messages_per_user))
                run = await load(webhook, chats, messages, args.concurrency, update_ids)
            total = sum(map(len, run.sent.values()))
            after = await collect(fake, sum(map(len, got.values())) + total)
            used = cpu.used() if cpu.available() else None
        finally:
            stop(bot)
            await fake.close()
    replies = {chat: times for chat, times in after.replies.items() if chat in chats}
    latencies = [(reply - sent) * 1000 for chat in chats
                 for sent, reply in zip(run.sent[chat], replies.get(chat, []), strict=False)]
    missing = {chat: len(run.sent[chat]) - len(replies.get(chat, [])) for chat in chats}
    typing_actions = after.methods["sendChatAction"] - before.methods["sendChatAction"]
    print(f"users                {len(chats)}")
    print(f"messages             {total}")
    if args.rate:
        print(f"offered              {args.rate:g} msgs/s for {args.seconds:g} s (open loop)")
    print(f"inbound msgs/s       {total / run.seconds:.0f}  ({run.seconds:.1f} s)")
    if latencies:
        print(f"latency p50          {percentile(latencies, 50):.0f} ms")
        print(f"latency p99          {percentile(latencies, 99):.0f} ms")
    print(f"lost replies         {sum(max(0, n) for n in missing.values())}")
    print(f"duplicated replies   {sum(max(0, -n) for n in missing.values())}")
    print(f"errors (non-200)     {run.errors}"
          + (f" ({', '.join(f'{n} {kind}' for kind, n in run.failures.items())})"
             if run.errors else ""))
    print(f"typing actions       {typing_actions} (sendChatAction: turns slower than "
          f"{TYPING_AFTER:g} s)"
          + (f", {after.hung_up} cancelled mid-request" if after.hung_up else ""))
    if used is not None:
        print("cpu during the load  " + ", ".join(
            f"{name} {seconds:.1f} s ({seconds * 1000 / total:.1f} ms/msg)"
            for name, seconds in used.items()))
    print(f"settings             TELEGRAM_MAX_RATE={MAX_RATE} (the fake has no flood limit; "
          f"production keeps 30/s), "
          + ("" if args.rate else f"connection pool {args.concurrency}, ") + "PostgreSQL, "
          f"{os.cpu_count()} cores")
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
    parser.add_argument("--rate", type=float, default=0,
                        help="open loop: offer this many messages a second, answered or not "
                             f"(from rate x {OPEN_LOOP_PERIOD:g} chats; --users and the two "
                             "options above are then unused)")
    parser.add_argument("--seconds", type=float, default=30, help="open loop: for how long")
    asyncio.run(main(parser.parse_args()))
