"""Fixtures of the end-to-end tests: the bot with a staff group on the fake Bot API, and the
bot's WhatsApp channel on the fake Twilio."""

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.channels.whatsapp import WEBHOOK_PATH
from bot.config import Settings
from bot.storage import migrate
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, FakeTwilio
from tests.support.staff_group import CASEWORKER, STAFF_CHAT, Desk, running
from tests.support.whatsapp import ALERT, PUBLIC, TEMPLATE, WhatsApp, started


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


@pytest.fixture
async def whatsapp_desk(settings: Settings) -> AsyncIterator[tuple[Desk, FakeTwilio]]:
    """The young person on WhatsApp (through a fake Twilio), staff in the Telegram group."""
    api, twilio = FakeBotAPI(), FakeTwilio(webhook_url=PUBLIC + WEBHOOK_PATH)
    async with serving(api) as api_url, serving(twilio) as twilio_url:
        staffed = settings.model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_staff_chat_id": STAFF_CHAT, "telegram_staff_user_ids": str(CASEWORKER),
            "twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "twilio_whatsapp_number": BOT_NUMBER, "twilio_api_base_url": twilio_url,
            "public_base_url": PUBLIC, "twilio_waiting_templates": {"sq": TEMPLATE},
        })
        container = await bootstrap.build(staffed, migrate_sqlite=False)
        await migrate.upgrade(container.database)
        channels = bootstrap.build_channels(staffed, container)  # both, as `youthbot run`
        assert [channel.name for channel in channels] == ["telegram", "whatsapp"]
        try:
            async with serving(create_app(container, channels), lifespan="on") as bot_url:
                twilio.route_public(PUBLIC, bot_url)
                yield Desk(api, container), twilio
                await twilio.settle()
        finally:
            await container.close()
