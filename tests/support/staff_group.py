"""The bot with a staff group, through the real python-telegram-bot Application against the
fake Bot API: the young person and staff both on Telegram."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from pydantic import SecretStr

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import telegram
from bot.config import Settings
from bot.storage import migrate
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI

USER = 4242
STAFF_CHAT = -1001234567890
CASEWORKER = 9001
STRANGER = 9002
WAIT = 10.0  # a reply bound for another chat may wait for the outbox sweep (2 s)


@dataclass
class Desk:
    api: FakeBotAPI
    container: Container

    async def user_gets(self, count: int) -> list[str]:
        return [m["text"] for m in await self.api.wait_sent(count, USER, timeout=WAIT)]

    async def staff_get(self, count: int) -> list[str]:
        return [m["text"] for m in await self.api.wait_sent(count, STAFF_CHAT, timeout=WAIT)]

    def t(self, key: str, **values: object) -> str:
        return self.container.translators["sq"](key, **values)


@asynccontextmanager
async def running(settings: Settings, api: FakeBotAPI) -> AsyncIterator[Desk]:
    async with serving(api) as api_url:
        staffed = settings.model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_staff_chat_id": STAFF_CHAT,
            "telegram_staff_user_ids": f"{CASEWORKER}, 9003",
        })
        container = await bootstrap.build(staffed, migrate_sqlite=False)
        await migrate.upgrade(container.database)
        [channel] = bootstrap.build_channels(staffed, container, [telegram])
        await channel.start()
        container.deliveries.start()
        try:
            yield Desk(api, container)
        finally:
            await container.deliveries.shutdown()
            await channel.stop()
            await container.close()


async def ask_for_a_training(desk: Desk) -> None:
    api = desk.api
    await api.push_message(USER, "/start")
    await desk.user_gets(1)
    await api.push_message(USER, "a ka kurse falas ne Kukes?")
    [_, trainings] = await desk.user_gets(2)
    assert desk.container.content.page("sq", "trainings").text.strip() in trainings
    for step, (press, then) in enumerate((
        ("handoff:trainings", "handoff.consent.ask"),
        ("ho:consent:yes", "handoff.municipality.ask"),
        ("ho:municipality:has", "handoff.age.ask"), ("ho:age:18_24", "handoff.gender.ask"),
        ("ho:gender:unsaid", "handoff.contact.ask"), ("ho:contact:chat", "handoff.summary.ask"),
    ), start=3):
        await api.push_callback(USER, press)
        assert desk.t(then) in (await desk.user_gets(step))[-1]
    await api.push_message(USER, "Dua nje kurs per kuzhinier")
    overview = (await desk.user_gets(9))[-1]
    assert "Has" in overview and "Dua nje kurs per kuzhinier" in overview
    await api.push_callback(USER, "ho:confirm:send")
    assert desk.t("handoff.sent") in (await desk.user_gets(10))[-1]


