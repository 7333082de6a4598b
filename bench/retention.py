"""How long the retention job takes on a large table, and how long its longest batch (one
transaction, the longest any row is locked) lasts.

    .venv/bin/python bench/retention.py [--rows N] [--database-url URL]

Seeds N message log rows, N processed deliveries and N delivered replies, half of each older
than RETENTION_DAYS, into a throwaway database (SQLite by default; with ``--database-url
postgresql://…`` a fresh database there, dropped afterwards), runs ``run_retention`` and prints
the rows removed, the total time and the longest batch.
"""

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from bench.databases import throwaway  # noqa: E402
from bot import retention  # noqa: E402
from bot.storage import migrate  # noqa: E402
from bot.storage.database import create_engine, session_factory  # noqa: E402
from bot.storage.models import MessageLogEntry, OutboxMessage, ProcessedDelivery, User  # noqa: E402
from bot.storage.unit_of_work import UnitOfWork  # noqa: E402

NOW = datetime(2026, 12, 7, tzinfo=UTC)
DAYS = 180


async def seed(url: str, rows: int) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    async with engine.begin() as db:
        await db.execute(insert(User), [{"channel": "telegram", "address": "1", "locale": "sq"}])
        for start in range(0, rows, 5000):
            ages = [NOW - timedelta(days=DAYS * 2 if n % 2 else 1)
                    for n in range(start, min(rows, start + 5000))]
            await db.execute(insert(MessageLogEntry), [
                {"user_id": 1, "direction": "in", "text": "x" * 80, "created_at": at}
                for at in ages])
            await db.execute(insert(ProcessedDelivery), [
                {"channel": "telegram", "delivery_id": f"{start}-{n}", "created_at": at}
                for n, at in enumerate(ages)])
            await db.execute(insert(OutboxMessage), [
                {"channel": "telegram", "address": "1", "text": "y" * 200, "choices": [],
                 "created_at": at, "sent_at": at} for at in ages])
    await engine.dispose()


async def measure(url: str) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    longest = 0.0

    class Timed(UnitOfWork):
        async def __aenter__(self) -> "Timed":
            self.began = time.perf_counter()
            return await super().__aenter__()  # type: ignore[return-value]

        async def commit(self) -> None:
            nonlocal longest
            await super().commit()
            longest = max(longest, time.perf_counter() - self.began)

    began = time.perf_counter()
    counts = await retention.run_retention(partial(Timed, sessions), NOW, DAYS)
    took = time.perf_counter() - began
    print(f"removed {counts}")
    print(f"total {took:.2f} s, longest batch {longest * 1000:.0f} ms "
          f"(batches of {retention.BATCH})")
    await engine.dispose()


async def main(rows: int, server: str | None) -> None:
    async with throwaway(server, "retention") as url:
        await seed(url, rows)
        await measure(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.database_url))
