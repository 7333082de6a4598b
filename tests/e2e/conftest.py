"""Fixtures of the end-to-end tests: the bot with a staff group on the fake Bot API, and the
bot's WhatsApp channel on the fake Twilio."""

from collections.abc import AsyncIterator

import pytest

from bot.bootstrap import Container
from bot.config import Settings
from tests.fakes.telegram_bot_api import FakeBotAPI
from tests.support.staff_group import STAFF_CHAT, Desk, running
from tests.support.whatsapp import ALERT, TEMPLATE, WhatsApp, started


@pytest.fixture
async def desk(settings: Settings) -> AsyncIterator[Desk]:
    async with running(settings, FakeBotAPI()) as started:
        yield started


@pytest.fixture
async def forum_desk(settings: Settings) -> AsyncIterator[Desk]:
    """The staff group is a forum: each claimed request gets a topic of its own."""
    async with running(settings, FakeBotAPI(forums=frozenset({STAFF_CHAT}))) as started:
        yield started


@pytest.fixture
async def whatsapp(container: Container) -> AsyncIterator[WhatsApp]:
    async for channel in started(container, {"sq": TEMPLATE}):
        yield channel


@pytest.fixture
async def whatsapp_with_alerts(container: Container) -> AsyncIterator[WhatsApp]:
    async for channel in started(container, {"sq": TEMPLATE}, {"sq": ALERT}):
        yield channel


@pytest.fixture
async def whatsapp_without_template(container: Container) -> AsyncIterator[WhatsApp]:
    async for channel in started(container, {}):
        yield channel
