"""Several ``youthbot run`` processes on one PostgreSQL database, as issue 11 accepts them:
two web workers take Telegram's webhook, two senders and two schedulers elect their leaders.

200 users × 5 messages, posted alternately to both web workers: each chat gets its replies in
order, none lost, none twice; the fake Bot API never sees more than TELEGRAM_MAX_RATE
sendMessage calls in any one second (one rate budget, whoever sends); an overdue urgent
referral is announced again exactly once; the sender leader, killed with SIGKILL mid-stream,
is replaced within 10 s and nothing is lost; meanwhile nothing is sent (web workers never
send).
"""

import asyncio
import os
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import bootstrap
from bot.config import Settings
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import ReferralEvent, utcnow
from referrals.queue import ReferralQueue
from tests.fakes.telegram_bot_api import TOKEN
from tests.support.workers import (
    LOOPBACK,
    SECRET,
    FakeTelegramProcess,
    Worker,
    healthy,
    post_alternately,
)

MAX_RATE = 25
USERS = range(1_000_001, 1_000_201)
TEXTS = ["menu", "2", "1", "menu", "3"]  # one reply each
STAFF_CHAT = -1001234567890
KILL_AFTER = 300
"""Replies delivered before the sender leader is killed."""
BOUND = 120.0
"""Seconds after which waiting counts as never (a bound for failing, not a measured time)."""


@pytest.fixture
def postgres(backend: str, database_url: str) -> str:
    if backend == "sqlite":
        pytest.skip("several processes need PostgreSQL (split roles refuse SQLite)")
    return database_url


async def test_two_web_workers_two_senders_two_schedulers_on_one_database(
    postgres: str, nlu_model_dir: Path, tmp_path: Path,
) -> None:
    env = os.environ | LOOPBACK | {"DATABASE_URL": postgres, "NLU_MODEL_DIR": str(nlu_model_dir)}
    referral = await _overdue_urgent_referral(postgres, nlu_model_dir)
    with FakeTelegramProcess() as fake:
        env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{fake.url}/bot",
                "TELEGRAM_WEBHOOK_URL": "https://bot.invalid/webhooks/telegram",
                "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MAX_RATE": str(MAX_RATE),
                "TELEGRAM_STAFF_CHAT_ID": str(STAFF_CHAT), "LOG_LEVEL": "INFO",
                "LOG_SALT": "workers-test-salt"}
        roles = ["web", "web", "sender", "sender", "scheduler", "scheduler"]
        workers = [Worker(role, env, tmp_path, f"{role}{n}") for n, role in enumerate(roles)]
        try:
            await healthy(workers, timeout=BOUND)
            webs, senders = workers[:2], workers[2:4]
            webhooks = [f"{web.url}/webhooks/telegram" for web in webs]
            expected = await _dry_run(fake, webhooks)

            load = asyncio.create_task(post_alternately(webhooks, USERS, TEXTS, 40))
            leader, killed_at = await _kill_sender_leader_midstream(fake, senders)
            failed = await load
            messages = await _all_delivered(fake, len(USERS) * len(TEXTS))
            leading = [w.name for w in workers if w is not leader and w.leads("sender:telegram")
                       or w.leads("scheduler")]  # before stopping hands the locks on
        finally:
            for worker in workers:
                worker.stop()

    assert failed == []
    got: dict[int, list[str]] = defaultdict(list)
    for chat, _at, text in messages:
        got[chat].append(text)
    resent = [(chat, at) for chat, at, _ in _repeats(messages)]
    for chat in USERS:  # in order, none lost; a repeat only of what was in flight at the kill
        assert _without_repeats(got[chat]) == expected, chat
    assert len(resent) <= 1 and all(at > killed_at for _, at in resent)
    busiest = _busiest_second([at for _, at, _ in messages])
    assert busiest[0] <= MAX_RATE, (busiest, killed_at)
    assert await _realerts(postgres, nlu_model_dir, referral) == 1
    [card] = [text for chat, _, text in messages if chat == STAFF_CHAT]
    assert f"#{referral}" in card
    after_kill = sorted(at - killed_at for _, at, _ in messages if at > killed_at + 0.1)
    assert after_kill[0] < 10.0, after_kill[0]  # the second sender took over
    # Until then nothing went out, although the web workers were busy: they never send (the
    # new leader waits out its grace of 3 s first).
    assert after_kill[0] > 2.0, after_kill[0]
    assert len(leading) == 2 and {name[:-1] for name in leading} == {"sender", "scheduler"}


async def _dry_run(fake: FakeTelegramProcess, webhooks: list[str]) -> list[str]:
    """One chat, one message at a time, each reply awaited: the replies in their order."""
    chat = 999_999
    for k, text in enumerate(TEXTS):
        assert await post_alternately(webhooks[k % 2:k % 2 + 1], range(chat, chat + 1),
                                      [text], 1) == []
        await _wait(lambda n=k + 1: _count(fake, chat, n))
    return [text for at_chat, _, text in await fake.messages() if at_chat == chat]


async def _kill_sender_leader_midstream(
    fake: FakeTelegramProcess, senders: list[Worker],
) -> tuple[Worker, float]:
    await _wait(lambda: _total(fake, KILL_AFTER))
    [leader] = [sender for sender in senders if sender.leads("sender:telegram")]
    leader.kill()
    return leader, asyncio.get_running_loop().time()


async def _all_delivered(fake: FakeTelegramProcess, replies: int) -> list[tuple[int, float, str]]:
    """Everything the fake got once the users' replies and the staff card are in, after
    2 s more (four sweeps) to catch repeats."""
    await _wait(lambda: _total(fake, replies + len(TEXTS) + 1))
    await asyncio.sleep(2.0)
    return await fake.messages()


async def _wait(done, bound: float = BOUND) -> None:  # type: ignore[no-untyped-def]
    async def poll() -> None:
        while not await done():
            await asyncio.sleep(0.25)
    await asyncio.wait_for(poll(), bound)


async def _total(fake: FakeTelegramProcess, at_least: int) -> bool:
    return len(await fake.messages()) >= at_least


async def _count(fake: FakeTelegramProcess, chat: int, at_least: int) -> bool:
    return sum(1 for at_chat, _, _ in await fake.messages() if at_chat == chat) >= at_least


def _repeats(messages: list[tuple[int, float, str]]) -> list[tuple[int, float, str]]:
    last: dict[int, str] = {}
    repeated = []
    for chat, at, text in messages:
        if last.get(chat) == text:
            repeated.append((chat, at, text))
        last[chat] = text
    return repeated


def _without_repeats(texts: list[str]) -> list[str]:
    return [text for n, text in enumerate(texts) if n == 0 or texts[n - 1] != text]


def _busiest_second(arrivals: list[float]) -> tuple[int, float]:
    """The most calls in any window (t - 1 s, t] that ends at a call, and that t."""
    ordered, most, first = sorted(arrivals), (0, 0.0), 0
    for last, at in enumerate(ordered):
        while ordered[first] <= at - 1.0:
            first += 1
        most = max(most, (last - first + 1, at))
    return most


async def _overdue_urgent_referral(url: str, nlu_model_dir: Path) -> int:
    """In a database at the migrations' head, an urgent request made 20 minutes ago that
    nobody claimed (due again after 15)."""
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    async with bootstrap.storage(_settings(url, nlu_model_dir)) as unit_of_work:
        async with unit_of_work() as uow:
            queue = ReferralQueue(uow.referrals, lambda: utcnow() - timedelta(minutes=20))
            made = await queue.create(user_id=None, channel="telegram", topic="urgent",
                                      priority="urgent")
            await uow.commit()
    return made.id


async def _realerts(url: str, nlu_model_dir: Path, referral: int) -> int:
    async with bootstrap.reading(_settings(url, nlu_model_dir)) as session:
        return int(await session.scalar(
            select(func.count()).select_from(ReferralEvent)
            .where(ReferralEvent.referral_id == referral, ReferralEvent.kind == "realerted"))
            or 0)


def _settings(url: str, nlu_model_dir: Path) -> Settings:
    return Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                    nlu_model_dir=nlu_model_dir)


