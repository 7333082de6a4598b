"""Two ``youthbot run --role web`` processes on one PostgreSQL serve the same web-chat sessions:
each session's messages are posted alternately to both (and every one posted again to the
other, as a browser retrying after a lost answer), and each is answered in order, exactly once,
with the replies one worker alone gives."""

import asyncio
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.storage import migrate
from bot.storage.database import create_engine
from tests.support.secrets import WEB_SECRET_KEY
from tests.support.webchat import Browser, texts
from tests.support.workers import LOOPBACK, Worker, healthy

SESSIONS = 30
TEXTS = ["menu", "2", "1", "menu", "3", "a ka pune ne Kukes?"]
BOUND = 120.0
"""Seconds after which waiting counts as never (a bound for failing, not a measured time)."""


@pytest.fixture
def postgres(backend: str, database_url: str) -> str:
    if backend == "sqlite":
        pytest.skip("several processes need PostgreSQL (split roles refuse SQLite)")
    return database_url


async def conversation(clients: list[httpx.AsyncClient]) -> tuple[list[dict[str, Any]], bool]:
    """One session: opened on the first worker, its k-th message to worker k mod 2 and again
    to the other; the replies of the POSTs, and whether every retry was answered with none."""
    browsers = [Browser(client) for client in clients]
    await browsers[0].open()
    replies, retries_quiet = list(browsers[0].seen), True
    for k, text in enumerate(TEXTS):
        first, other = browsers[k % 2], browsers[(k + 1) % 2]
        first.session = other.session = browsers[0].session
        client_id = f"m{k}"
        replies += await first.say(text, client_id=client_id)
        retry = await other.post({"id": client_id, "text": text})
        retries_quiet &= retry.status_code == 200 and retry.json()["replies"] == []
    again = Browser(clients[1], session=browsers[0].session)
    assert await again.poll() == replies  # the whole conversation, as read later
    return replies, retries_quiet


async def test_two_web_workers_answer_each_session_in_order_exactly_once(
    postgres: str, nlu_model_dir: Path, tmp_path: Path,
) -> None:
    env = os.environ | LOOPBACK | {
        "DATABASE_URL": postgres, "NLU_MODEL_DIR": str(nlu_model_dir),
        "WEB_SECRET_KEY": WEB_SECRET_KEY, "LOG_SALT": "workers-test-salt"}
    database = create_engine(postgres)
    await migrate.upgrade(database)
    await database.dispose()
    workers = [Worker("web", env, tmp_path, f"web{n}") for n in range(2)]
    try:
        await healthy(workers, timeout=BOUND)
        async with (httpx.AsyncClient(base_url=workers[0].url, trust_env=False, timeout=60) as a,
                    httpx.AsyncClient(base_url=workers[1].url, trust_env=False, timeout=60) as b):
            [(alone, _)] = [await conversation([a, a])]
            results = await asyncio.gather(*(conversation([a, b]) for _ in range(SESSIONS)))
    finally:
        for worker in workers:
            worker.stop()
    assert len(alone) == 1 + len(TEXTS)  # the welcome, then one reply a message
    for replies, retries_quiet in results:
        ids = [reply["id"] for reply in replies]
        assert ids == sorted(set(ids)), "out of order or twice"
        assert texts(replies) == texts(alone)
        assert retries_quiet
