"""Fixtures of the end-to-end tests: the bot with a staff group on the fake Bot API."""

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from tests.fakes.telegram_bot_api import FakeBotAPI
from tests.support.staff_group import STAFF_CHAT, Desk, running


@pytest.fixture
async def desk(settings: Settings) -> AsyncIterator[Desk]:
    async with running(settings, FakeBotAPI()) as started:
        yield started


@pytest.fixture
async def forum_desk(settings: Settings) -> AsyncIterator[Desk]:
    """The staff group is a forum: each claimed request gets a topic of its own."""
    async with running(settings, FakeBotAPI(forums=frozenset({STAFF_CHAT}))) as started:
        yield started
