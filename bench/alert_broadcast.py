"""How long the alerts job takes to queue one new opportunity for N subscribers (the outbox
rows and the delivery rows that record them), and its longest batch (one transaction).

    .venv/bin/python bench/alert_broadcast.py [--subscribers N] [--database-url URL]

Seeds N Telegram users who all want courses in Has, and one such course, into a throwaway
database (SQLite by default; with ``--database-url postgresql://…`` a fresh database there,
dropped afterwards), runs one round of the job and prints the alerts queued, the total time and
the longest batch. Sending them is the senders' business (Telegram: 30 a second).
"""

import argparse
import asyncio
import sys
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from bench.databases import throwaway  # noqa: E402
from bot.i18n import load_translators  # noqa: E402
from bot.storage import migrate  # noqa: E402
from bot.storage.alerts import AlertSubscription  # noqa: E402
from bot.storage.catalogue import Opportunity  # noqa: E402
from bot.storage.database import create_engine, session_factory  # noqa: E402
from bot.storage.models import User  # noqa: E402
from bot.storage.unit_of_work import UnitOfWork  # noqa: E402
from opportunities.alerts import Reach  # noqa: E402
from opportunities.broadcast import BATCH, Broadcaster  # noqa: E402


async def seed(url: str, subscribers: int) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    async with engine.begin() as db:
        await db.execute(insert(User), [
            {"channel": "telegram", "address": str(900_000_000 + n), "locale": "sq"}
            for n in range(subscribers)])
        ids = (await db.scalars(select(User.id))).all()
        await db.execute(insert(AlertSubscription), [
            {"user_id": i, "kind": "training", "sector": "", "municipality": "has"} for i in ids])
        await db.execute(insert(Opportunity), [{
            "id": "bench-course", "kind": "training", "title_sq": "Kurs IT", "sectors": ["ict"],
            "municipalities": ["has"], "checked": date.today(), "published": True,
            "deadline": date.today() + timedelta(days=30), "organisation": "Bench",
            "apply": "https://example.org"}])
    await engine.dispose()


async def measure(url: str) -> None:
    engine = create_engine(url)
    longest = 0.0

    class Timed(UnitOfWork):
        async def __aenter__(self) -> "Timed":
            self.began = time.perf_counter()
            return await super().__aenter__()  # type: ignore[return-value]

        async def commit(self) -> None:
            nonlocal longest
            await super().commit()
            longest = max(longest, time.perf_counter() - self.began)

    broadcaster = Broadcaster(partial(Timed, session_factory(engine)),
                              load_translators(("sq", "en")), Reach())
    began = time.perf_counter()
    queued = await broadcaster.run()
    took = time.perf_counter() - began
    print(f"queued {queued} alerts in {took:.2f} s ({queued / took:.0f} a second), "
          f"longest batch {longest * 1000:.0f} ms (batches of {BATCH})")
    await engine.dispose()


async def main(subscribers: int, server: str | None) -> None:
    async with throwaway(server, "alerts") as url:
        await seed(url, subscribers)
        await measure(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.database_url))
