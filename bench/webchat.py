"""Benchmark of the web chat: messages a second and latency for many sessions at once.

    .venv/bin/python bench/webchat.py [--sessions 200] [--messages 5]

Creates a throwaway PostgreSQL database (127.0.0.1:5432, user postgres), migrates it with
``youthbot db upgrade`` and starts ``youthbot run`` with only the web chat on
(``WEB_SECRET_KEY``). Every session opens (``POST /webchat/sessions``: the welcome), then writes
its messages one after another, each as soon as the previous answer came (closed loop), all
sessions at once. The replies come in each POST's answer, so a message's latency is its POST's
round trip. Each session writes from an address of its own (``X-Forwarded-For``, which uvicorn
takes from a proxy on 127.0.0.1), as browsers do, so the per-address limits do not apply to
the bench as a whole; the per-session limits do, as for anyone. Everything shares the
machine's cores: bot, PostgreSQL and this load generator. Prints messages/s (first POST sent ..
last answered), p50/p99 latency, messages answered with no reply, and 429s and other errors.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from webhook_load import MESSAGES  # noqa: E402
from webhook_support import CpuClock, free_port, percentile, stop, wait_healthy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
YOUTHBOT = ROOT / ".venv" / "bin" / "youthbot"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
LOOPBACK = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


async def session(client: aiohttp.ClientSession, url: str, number: int, messages: list[str],
                  latencies: list[float], failures: list[str], silent: list[int]) -> None:
    try:
        await _session(client, url, number, messages, latencies, failures, silent)
    except aiohttp.ClientError as error:
        failures.append(type(error).__name__)


async def _session(client: aiohttp.ClientSession, url: str, number: int, messages: list[str],
                   latencies: list[float], failures: list[str], silent: list[int]) -> None:
    address = {"X-Forwarded-For": f"10.{number // 65536}.{number // 256 % 256}.{number % 256}"}
    async with client.post(f"{url}/webchat/sessions", json={"locale": "sq"},
                           headers=address) as opened:
        if opened.status != 200:
            failures.append(str(opened.status))
            return
        path = f"{url}/webchat/sessions/{(await opened.json())['session']}/messages"
    for k, text in enumerate(messages):
        started = time.perf_counter()
        async with client.post(path, json={"id": f"m{k}", "text": text},
                               headers=address) as answer:
            replies = (await answer.json())["replies"] if answer.status == 200 else None
        latencies.append((time.perf_counter() - started) * 1000)
        if replies is None:
            failures.append(str(answer.status))
        elif not replies:
            silent.append(number)


async def bench(args: argparse.Namespace, folder: Path, database: str) -> None:
    env = os.environ | LOOPBACK | {
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
        "NLU_MODEL_DIR": str(folder / "nlu"), "LOG_LEVEL": "WARNING",
        "LOG_SALT": secrets.token_hex(16), "WEB_SECRET_KEY": secrets.token_hex(32),
    }
    # cwd is the temporary folder, so no .env of a developer's (with real tokens) is read.
    subprocess.run([YOUTHBOT, "db", "upgrade"], env=env, cwd=folder, check=True,
                   stdout=subprocess.DEVNULL)
    port, bot_log = free_port(), folder / "bot.log"
    with bot_log.open("wb") as log_file:
        bot = subprocess.Popen([YOUTHBOT, "run"], env=env | {"PORT": str(port)}, cwd=folder,
                               stdout=log_file, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            await wait_healthy(url, bot, bot_log, timeout=120)
            messages = list(itertools.islice(itertools.cycle(MESSAGES), args.messages))
            latencies: list[float] = []
            failures: list[str] = []
            silent: list[int] = []
            cpu = CpuClock(bot.pid, 0, database)  # no fake platform here: pid 0 counts 0
            # aiohttp: a tenth of the client CPU httpx takes a request (measured), CPU that on two
            # cores the bot gets; idle connections go before uvicorn's 5 s keep-alive ends
            connector = aiohttp.TCPConnector(limit=args.sessions, keepalive_timeout=2.0)
            async with aiohttp.ClientSession(connector=connector,
                                             timeout=aiohttp.ClientTimeout(total=60)) as client:
                cpu.start()
                started = time.perf_counter()
                await asyncio.gather(*(session(client, url, n, messages, latencies, failures,
                                               silent) for n in range(args.sessions)))
                seconds = time.perf_counter() - started
            used = cpu.used() if cpu.available() else None
        finally:
            stop(bot)
    answered = len(latencies)
    print(f"sessions             {args.sessions} at once, {args.messages} messages each")
    print(f"messages             {answered} ({seconds:.1f} s, session openings not counted)")
    print(f"msgs/s               {answered / seconds:.0f}")
    if latencies:
        print(f"latency p50          {percentile(latencies, 50):.0f} ms")
        print(f"latency p99          {percentile(latencies, 99):.0f} ms")
    print(f"answered with none   {len(silent)}")
    print(f"errors (non-200)     {len(failures)}"
          + (f" ({', '.join(sorted(set(failures)))})" if failures else ""))
    logged = bot_log.read_text(errors="replace").splitlines()
    if logged:
        print(f"bot log              {len(logged)} line(s) at WARNING or above, first:")
        for line in logged[:5]:
            print(f"  {line[:200]}")
    if used is not None:
        print("cpu during the load  " + ", ".join(
            f"{name} {spent:.1f} s ({spent * 1000 / (answered + args.sessions):.1f} ms/turn)"
            for name, spent in used.items() if name != "fake Bot API"))
    print(f"settings             PostgreSQL, one `youthbot run`, {os.cpu_count()} cores")


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
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5, help="messages per session")
    asyncio.run(main(parser.parse_args()))
