"""10,000 subscribers on Telegram, one new course: the real ``youthbot run`` queues and sends
the alerts, is killed with SIGKILL half-way and started again, and every subscriber ends up
with exactly one alert, never faster than ``TELEGRAM_MAX_RATE`` (read from the fake Bot API's
record of each send).

As in ``test_kill_nine``, the one repeat allowed is an alert whose send was under way at the
kill (leased, not settled: no platform can be asked whether it arrived), read from the database
while the bot is dead. PostgreSQL only: several thousand users on the embedded SQLite are not
what it is for, and the seeding uses ``generate_series``.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage.database import create_engine, session_factory
from bot.storage.unit_of_work import UnitOfWork
from opportunities import catalogue, importing
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.support.burst import Bot, free_port, in_flight, migrate
from tests.support.catalogue_rows import TODAY, opportunity

SUBSCRIBERS = 10_000
RATE = 150
"""TELEGRAM_MAX_RATE for the run: about what the sender manages on an idle two-core machine,
so that there the limit is what holds it back."""
KILL_AFTER = SUBSCRIBERS // 2
SLOWEST = 10
"""Alerts a second the waits allow for at the least (a busy two-core machine sends about 35)."""
CHAT_BASE = 734_500_000
SECRET = "alerts-kill-nine-secret"
PUBLIC = "https://bot.example.org"


async def test_sigkill_half_way_through_a_broadcast_sends_each_alert_once_within_the_rate(
    backend: str, database_url: str, nlu_model_dir: Path, tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("10,000 subscribers and a kill -9: PostgreSQL only (TEST_DATABASE_URL)")
    migrate(database_url)
    await _seed(database_url)
    api = FakeBotAPI()
    async with serving(api) as api_url:
        bot = Bot({
            "DATABASE_URL": database_url, "NLU_MODEL_DIR": str(nlu_model_dir),
            "LOG_LEVEL": "WARNING", "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": f"{api_url}/bot",
            "TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/webhooks/telegram",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MAX_RATE": str(RATE),
        }, free_port(), tmp_path)
        await bot.start()
        try:
            await _until(lambda: len(_alerts(api)) >= KILL_AFTER, KILL_AFTER / SLOWEST, api)
            bot.kill()
            unsettled = await in_flight(database_url)
            await bot.start()
            await _until(lambda: len(set(_alerts(api))) >= SUBSCRIBERS,
                         SUBSCRIBERS / SLOWEST, api)
            await asyncio.sleep(3.0)  # a sweep's time more, for any duplicate
        finally:
            bot.stop()

    got = Counter(_alerts(api))
    assert len(got) == SUBSCRIBERS
    repeated = {chat: n for chat, n in got.items() if n > 1}
    assert all(n == 2 and unsettled[str(chat)] for chat, n in repeated.items()), repeated
    assert len(repeated) <= sum(unsettled.values())
    assert _busiest_second(api) <= RATE
    assert await _queued(database_url) == SUBSCRIBERS
    assert "Traceback" not in bot.logs()


async def _seed(database_url: str) -> None:
    """The subscribers (all want courses in Has) and the course, published."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO users (channel, address, locale, created_at, last_seen_at) "
                "SELECT 'telegram', (:base + n)::text, 'sq', now(), now() "
                "FROM generate_series(1, :count) AS n"), {"base": CHAT_BASE, "count": SUBSCRIBERS})
            await connection.execute(text(
                "INSERT INTO alert_subscriptions (user_id, kind, sector, municipality, "
                "created_at) SELECT id, 'training', '', 'has', now() FROM users"))
        async with UnitOfWork(session_factory(engine)) as uow:
            form = opportunity(1, kind="training", municipalities="has", sectors="")
            await catalogue.create(uow, importing.opportunities(), form, TODAY)
            await uow.commit()
    finally:
        await engine.dispose()


def _alerts(api: FakeBotAPI) -> list[int]:
    return [int(m["chat_id"]) for m in api.sent() if "🔔" in str(m["text"])]


def _busiest_second(api: FakeBotAPI) -> int:
    """The most sends the fake received within any one second."""
    times = sorted(c.at for c in api.calls_to("sendMessage") if c.status == 200)
    busiest, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        busiest = max(busiest, last - first + 1)
    return busiest


async def _queued(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(text(
                "SELECT count(*) FROM alert_deliveries WHERE status = 'queued'")) or 0)
    finally:
        await engine.dispose()


async def _until(condition: Callable[[], bool], timeout: float, api: FakeBotAPI) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s; {len(_alerts(api))} alerts sent")
        await asyncio.sleep(0.2)
