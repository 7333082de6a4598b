"""Fixtures the fake Bot API's tests share: the fake served on loopback, a PTB ``Bot`` and
``Application`` pointed at it, and the polling lifecycle."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import (
    Application,
    ApplicationBuilder,
)

from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI

ANA = 42
YES = InlineKeyboardMarkup([[InlineKeyboardButton("Po", callback_data="yes")]])


@pytest.fixture
def api() -> FakeBotAPI:
    return FakeBotAPI()


@pytest.fixture
async def url(api: FakeBotAPI) -> AsyncIterator[str]:
    async with serving(api) as base:
        yield base


@pytest.fixture
async def bot(url: str) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{url}/bot", base_file_url=f"{url}/file/bot") as bot:
        yield bot


@pytest.fixture
def application(url: str) -> Application[Any, Any, Any, Any, Any, Any]:
    return (ApplicationBuilder().token(TOKEN)
            .base_url(f"{url}/bot").base_file_url(f"{url}/file/bot").build())


@asynccontextmanager
async def polling(app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """The test-friendly polling lifecycle: start in order, stop in reverse order."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)
    try:
        yield
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
