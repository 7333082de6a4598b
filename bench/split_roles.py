"""How long a reply waits when the web worker that took the message does not send it.

    .venv/bin/python bench/split_roles.py [--messages 200] [--rate 10]

Creates a throwaway PostgreSQL database (127.0.0.1:5432, user postgres), serves the fake Bot
API in a process of its own, and runs the bot twice on it in webhook mode: once as one
``youthbot run`` (``--role all``: the turn wakes its own sender at once), once as two
``--role web`` processes and one ``--role sender`` (the sender finds the rows by sweeping every
``bot.roles.SENDER_SWEEP`` seconds). Each time, ``--messages`` new users each write "menu",
one every 1/``--rate`` seconds (open loop), alternately to the web processes. Prints p50, p99
and the maximum from the POST to the fake's arrival of the reply's sendMessage, and how many
replies were lost. TELEGRAM_MAX_RATE is set high, so only the delivery path is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.roles import SENDER_SWEEP  # noqa: E402
from tests.fakes.telegram_bot_api import TOKEN  # noqa: E402
from tests.support.workers import (  # noqa: E402
    LOOPBACK,
    SECRET,
    UPDATE_IDS,
    YOUTHBOT,
    FakeTelegramProcess,
    Worker,
    healthy,
    update,
)

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def offer(webhooks: list[str], chats: range, rate: float) -> dict[int, float]:
    """One "menu" a chat, one POST every 1/rate seconds; when each POST went out."""
    sent: dict[int, float] = {}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(timeout=30, trust_env=False, headers=headers) as client:
        async def post(n: int, chat: int) -> None:
            sent[chat] = time.monotonic()
            await client.post(webhooks[n % len(webhooks)], json=update(next(UPDATE_IDS), chat,
                                                                       1, "menu"))

        tasks = []
        start = time.monotonic()
        for n, chat in enumerate(chats):
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(post(n, chat)))
        await asyncio.gather(*tasks)
    return sent


async def measure(roles: list[str], env: dict[str, str], folder: Path,
                  args: argparse.Namespace, first_chat: int) -> str:
    with FakeTelegramProcess() as fake:
        env = env | {"TELEGRAM_API_BASE_URL": f"{fake.url}/bot"}
        workers = [Worker(role, env, folder, f"{role}{n}") for n, role in enumerate(roles)]
        try:
            await healthy(workers, timeout=120)
            await asyncio.sleep(5)  # the sender's election grace
            webhooks = [f"{w.url}/webhooks/telegram" for w in workers if w.role in ("web", "all")]
            chats = range(first_chat, first_chat + args.messages)
            sent = await offer(webhooks, chats, args.rate)
            await asyncio.sleep(3)
            arrived = {chat: at for chat, at, _ in reversed(await fake.messages())}
        finally:
            for worker in workers:
                worker.stop()
    waits = [arrived[c] - sent[c] for c in chats if c in arrived]
    lost = sum(c not in arrived for c in chats)
    return (f"{' + '.join(roles)}: p50 {percentile(waits, 50) * 1000:.0f} ms, p99 "
            f"{percentile(waits, 99) * 1000:.0f} ms, max {max(waits) * 1000:.0f} ms, lost {lost}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    args = parser.parse_args()
    name = f"youthbot_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = os.environ | LOOPBACK | {
                "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}",
                "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_MAX_RATE": "100000",
                "TELEGRAM_WEBHOOK_URL": "https://bench.invalid/webhooks/telegram",
                "TELEGRAM_WEBHOOK_SECRET": SECRET, "LOG_LEVEL": "WARNING",
                "LOG_SALT": "bench-salt"}
            proc = await asyncio.create_subprocess_exec(YOUTHBOT, "db", "upgrade", env=env,
                                                        cwd=folder,
                                                        stdout=asyncio.subprocess.DEVNULL)
            assert await proc.wait() == 0
            print(f"{args.messages} messages at {args.rate}/s; sender sweep {SENDER_SWEEP} s")
            print(await measure(["all"], env, Path(folder), args, 2_000_000))
            print(await measure(["web", "web", "sender"], env, Path(folder), args, 3_000_000))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
