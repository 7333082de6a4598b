"""How long matching open opportunities takes a turn, against a catalogue of 5,000.

    .venv/bin/python bench/opportunity_matching.py [--opportunities N] [--turns N]

Seeds N generated opportunities (kinds, municipalities, sectors, ages and deadlines spread, a
tenth expired, a tenth unpublished) into a throwaway SQLite database and, when
TEST_DATABASE_URL is set, a fresh PostgreSQL database too (dropped afterwards). Then, for each
database, it prints:

- the rebuild: the first turn after the catalogue changed (the copy is loaded and filed again);
- p50 and p99 of a turn's matching work as the handler does it, in the turn's open unit of
  work: the one query asking whether the catalogue changed and the match of a random question
  (topic, and a municipality, sector and age band or not). The target is under 5 ms;
- the match alone (no database); the one INSERT that writes the views at the commit; and, for
  scale, one small query's round trip on the same connection (reading a user row): on a busy
  machine the round trips are most of a turn.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from bot.storage import migrate  # noqa: E402
from bot.storage.catalogue import Opportunity  # noqa: E402
from bot.storage.database import create_engine, session_factory  # noqa: E402
from bot.storage.unit_of_work import UnitOfWork  # noqa: E402
from opportunities.current import CurrentOpportunities  # noqa: E402
from opportunities.fields import KINDS  # noqa: E402
from opportunities.matching import TOPIC_KINDS, Wanted, match  # noqa: E402
from tests.support.databases import POSTGRES_URL, temporary_database  # noqa: E402

TODAY = date(2027, 1, 1)
PLACES = ("kukes", "has", "tropoje")
SECTORS = ("ict", "tourism", "agriculture", "medicinal_plants", "agro_processing",
           "construction", "hospitality", "crafts", "languages", "care")
BANDS = ((0, 15), (16, 17), (18, 24), (25, 29), (30, 120))


def generated(count: int, pick: random.Random) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    rows: list[dict[str, object]] = []
    for n in range(count):
        low = pick.choice((None, 15, 16, 18))
        rows.append({
            "id": f"opp-{n:05d}", "kind": pick.choice(KINDS), "title_sq": f"Mundësi {n}",
            "title_en": f"Opportunity {n}", "summary_sq": "", "summary_en": "",
            "organisation": "Qendra Shembull",
            "municipalities": pick.sample(PLACES, pick.choice((0, 1, 1, 2))),
            "sectors": pick.sample(SECTORS, pick.choice((0, 1, 1, 2))),
            "min_age": low, "max_age": pick.choice((None, 24, 29)) if low else None,
            "deadline": None if n % 7 == 0 else TODAY + timedelta(days=pick.randint(-30, 120)),
            "apply": "https://example.org", "contact": "", "source": "bench",
            "checked": TODAY, "published": n % 10 != 0, "created_at": now, "updated_at": now,
        })
    return rows


def question(pick: random.Random) -> Wanted:
    return Wanted(pick.choice(tuple(TOPIC_KINDS)), pick.choice((None, *PLACES)),
                  pick.choice((None, None, *SECTORS)), pick.choice((None, *BANDS)))


async def measure(url: str, count: int, turns: int) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    pick = random.Random(12)
    async with engine.begin() as db:
        await db.execute(insert(Opportunity), generated(count, pick))
    units = partial(UnitOfWork, session_factory(engine))
    current = CurrentOpportunities()
    async with units() as uow:
        began = time.perf_counter()
        index = await current.index(uow, TODAY)
        rebuild = time.perf_counter() - began
    took: dict[str, list[float]] = {"turn": [], "match alone": [], "views at commit": [],
                                    "one small query": []}
    for _ in range(turns):
        wanted = question(pick)
        async with units() as uow:
            await uow.users.get_locked("bench", "someone")  # the turn's transaction is open
            began = time.perf_counter()
            await uow.users.get_locked("bench", "someone")
            took["one small query"].append(time.perf_counter() - began)
            began = time.perf_counter()
            index = await current.index(uow, TODAY)
            matched = time.perf_counter()
            found = match(index, wanted, TODAY)
            took["match alone"].append(time.perf_counter() - matched)
            uow.catalogue.count("view", [item.id for item in found.listings], datetime.now(UTC))
            took["turn"].append(time.perf_counter() - began)
            began = time.perf_counter()
            await uow.catalogue.write()
            took["views at commit"].append(time.perf_counter() - began)
    await engine.dispose()
    print(f"{engine.dialect.name}: {count} opportunities, {len(index)} open; "
          f"rebuild after a change {rebuild * 1000:.1f} ms")
    for name, times in took.items():
        cuts = statistics.quantiles(times, n=100)
        print(f"  {name} ({turns} turns): p50 {cuts[49] * 1000:.3f} ms, "
              f"p99 {cuts[98] * 1000:.3f} ms")


async def main(count: int, turns: int) -> None:
    backends = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
    for backend in backends:
        async with temporary_database(backend, Path(tempfile.mkdtemp())) as url:
            await measure(url, count, turns)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=5000)
    parser.add_argument("--turns", type=int, default=2000)
    args = parser.parse_args()
    if not os.environ.get("TEST_DATABASE_URL"):
        print("TEST_DATABASE_URL not set: SQLite only")
    asyncio.run(main(args.opportunities, args.turns))
