"""The real python-telegram-bot Application against a fake Bot API on 127.0.0.1."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import telegram as telegram_channel
from bot.channels.base import Services
from bot.channels.telegram import WEBHOOK_PATH, TelegramChannel
from bot.channels.web import create_app
from bot.storage.models import Campaign, CampaignEvent, OutboxMessage, User
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.support.secrets import WEBHOOK_SECRET

SECRET = WEBHOOK_SECRET
CHAT = 4242


@dataclass
class Telegram:
    api: FakeBotAPI
    channel: TelegramChannel
    container: Container
    webhook: str | None = None


def _channel(settings, container: Container, services: Services | None = None):  # type: ignore[no-untyped-def]
    """The channel as ``youthbot run`` builds it, its sender added to the container's."""
    channel = telegram_channel.build(
        settings, services or bootstrap.channel_services(container, telegram_channel.NAME))
    assert isinstance(channel, TelegramChannel)
    container.deliveries.add(channel)
    return channel


@asynccontextmanager
async def _polling(channel: TelegramChannel, container: Container) -> AsyncIterator[None]:
    """What the web app's lifespan does: the channel, then the senders; stopped the other way."""
    await channel.start()
    container.deliveries.start()
    try:
        yield
    finally:
        await container.deliveries.shutdown()
        await channel.stop()


def _settings(container: Container, api_url: str, webhook: bool):  # type: ignore[no-untyped-def]
    update = {"telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot"}
    if webhook:
        update |= {"telegram_webhook_url": "https://bot.example.org" + WEBHOOK_PATH,
                   "telegram_webhook_secret": SecretStr(SECRET)}
    return container.settings.model_copy(update=update)


@pytest.fixture(params=["polling", "webhook"])
async def telegram(request: pytest.FixtureRequest, container: Container) -> AsyncIterator[Telegram]:
    api = FakeBotAPI()
    async with serving(api) as api_url:
        settings = _settings(container, api_url, webhook=request.param == "webhook")
        channel = _channel(settings, container)
        if request.param == "polling":
            async with _polling(channel, container):
                yield Telegram(api, channel, container)
            return
        async with serving(create_app(container, [channel]), lifespan="on") as bot_url:
            await channel.application.bot.set_webhook(bot_url + WEBHOOK_PATH, secret_token=SECRET)
            yield Telegram(api, channel, container, bot_url + WEBHOOK_PATH)


def texts(api: FakeBotAPI) -> list[str]:
    return [m["text"] for m in api.sent(CHAT)]


async def test_campaign_start_buttons_and_free_text(
    telegram: Telegram, container: Container
) -> None:
    async with container.sessions() as session:
        session.add(Campaign(code="poster_kukes_2026", name="Posters, Kukës"))
        await session.commit()
    api = telegram.api
    sq = container.translators["sq"]

    await api.push_message(CHAT, "/start poster_kukes_2026")
    [welcome] = await api.wait_sent(1, CHAT)
    assert sq("welcome.text") in welcome["text"]
    buttons = [row[0]["callback_data"] for row in welcome["reply_markup"]["inline_keyboard"]]
    assert buttons[1] == "page:jobs" and buttons[-1] == "lang:en"

    await api.push_callback(CHAT, "page:jobs")
    await api.wait_sent(2, CHAT)
    assert container.content.page("sq", "jobs").text.strip() in texts(api)[1]
    assert len(api.calls_to("answerCallbackQuery")) == 1

    await api.push_message(CHAT, "a ka kurse falas per IT ne Kukes?")
    await api.wait_sent(3, CHAT)
    assert container.content.page("sq", "trainings").text.strip() in texts(api)[2]

    async with container.sessions() as session:
        user = await session.scalar(select(User).where(User.channel == "telegram"))
        campaign = await session.scalar(select(Campaign))
        events = (await session.scalars(select(CampaignEvent))).all()
    assert user.address == str(CHAT) and user.first_campaign_id == campaign.id
    assert [(e.kind, e.campaign_id) for e in events] == [("started", campaign.id)]


async def test_commands_are_registered_in_both_languages(telegram: Telegram) -> None:
    names = {key: [c["command"] for c in commands] for key, commands in telegram.api.commands.items()}
    assert "fshij" in names[("default", "sq")] and "gjuha" in names[("default", "sq")]
    assert "language" in names[("default", "en")]
    assert names[("default", "")] == names[("default", "sq")]


async def test_an_update_delivered_twice_is_answered_once(telegram: Telegram) -> None:
    update = await telegram.api.push_message(CHAT, "menu")
    await telegram.api.wait_sent(1, CHAT)
    await telegram.api.deliver_again(update)
    await telegram.api.push_message(CHAT, "2")
    await telegram.api.wait_sent(2, CHAT)
    assert len(telegram.api.sent(CHAT)) == 2


async def test_429_waits_and_then_delivers(telegram: Telegram) -> None:
    telegram.api.fail_next("sendMessage", CHAT, status=429, retry_after=1,
                           description="Too Many Requests: retry after 1")
    await telegram.api.push_message(CHAT, "menu")
    [delivered] = await telegram.api.wait_sent(1, CHAT, timeout=6)
    attempts = telegram.api.calls_to("sendMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert delivered["text"]


async def test_a_user_who_blocked_the_bot_is_marked_and_not_retried(
    telegram: Telegram, container: Container
) -> None:
    telegram.api.fail_next("sendMessage", CHAT, status=403,
                           description="Forbidden: bot was blocked by the user")
    await telegram.api.push_message(CHAT, "menu")
    await telegram.api.wait_for(lambda api: len(api.calls_to("sendMessage")) == 1)
    await telegram.container.deliveries.drained()
    async with container.sessions() as session:
        user = await session.scalar(select(User))
        reply = await session.scalar(select(OutboxMessage))
    assert user.unreachable_at is not None
    assert reply.sent_at is None and reply.abandoned_at is not None
    await telegram.api.push_message(CHAT, "menu")
    await telegram.api.wait_sent(1, CHAT)
    async with container.sessions() as session:
        assert (await session.scalar(select(User))).unreachable_at is None


async def test_blocking_via_my_chat_member_marks_the_user(
    telegram: Telegram, container: Container
) -> None:
    await telegram.api.push_message(CHAT, "menu")
    await telegram.api.wait_sent(1, CHAT)
    await telegram.api.push_blocked(CHAT)

    async def marked() -> bool:
        async with container.sessions() as session:
            return (await session.scalar(select(User))).unreachable_at is not None

    for _ in range(200):  # polling picks the update up within a long-poll cycle
        if await marked():
            break
        await asyncio.sleep(0.05)
    assert await marked()


async def test_a_photo_gets_a_polite_text_answer(telegram: Telegram, container: Container) -> None:
    await telegram.api.push_message(CHAT, "menu")
    await telegram.api.wait_sent(1, CHAT)
    await telegram.api.push_photo(CHAT)
    await telegram.api.wait_sent(2, CHAT)
    assert container.translators["sq"]("media.unsupported") in texts(telegram.api)[1]


async def test_a_stale_button_is_answered_gracefully(telegram: Telegram, container: Container) -> None:
    await telegram.api.push_message(CHAT, "menu")
    await telegram.api.wait_sent(1, CHAT)
    await telegram.api.push_update({"update_id": 777, "callback_query": {
        "id": "cq-old", "from": {"id": CHAT, "is_bot": False, "first_name": "Ana"},
        "chat_instance": "ci", "data": "page:removed.long.ago",
        "message": {"message_id": 1, "date": 1700000000,
                    "chat": {"id": CHAT, "type": "private"}, "text": "old"}}})
    await telegram.api.wait_sent(2, CHAT)
    assert container.translators["sq"]("fallback.text") in texts(telegram.api)[1]


HOSTILE = {
    "not json": b"{{{ not json",
    "a list": b"[1, 2, 3]",
    "no update id": b'{"message": {"text": "hi"}}',
    "update id of the wrong type": b'{"update_id": "abc"}',
    "wrong types inside": b'{"update_id": 5, "message": {"message_id": "x", "chat": 7}}',
    "huge": b'{"update_id": 6, "pad": "' + b"a" * 2_000_000 + b'"}',
}


WEBHOOK_ONLY = pytest.mark.parametrize("telegram", ["webhook"], indirect=True)


@WEBHOOK_ONLY
@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
async def test_hostile_webhook_bodies_get_400_never_500(
    telegram: Telegram, body: bytes
) -> None:
    assert telegram.webhook is not None
    async with httpx.AsyncClient() as client:
        answer = await client.post(telegram.webhook, content=body,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert answer.status_code == 400


@WEBHOOK_ONLY
async def test_webhook_rejects_a_wrong_or_missing_secret(telegram: Telegram) -> None:
    assert telegram.webhook is not None
    update = b'{"update_id": 9, "message": {"message_id": 1, "date": 0, "text": "hi", ' \
             b'"chat": {"id": 1, "type": "private"}}}'
    async with httpx.AsyncClient() as client:
        missing = await client.post(telegram.webhook, content=update)
        wrong = await client.post(telegram.webhook, content=update,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
        unknown_kind = await client.post(
            telegram.webhook, content=b'{"update_id": 10, "some_future_kind": {"x": 1}}',
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert unknown_kind.status_code == 200
    assert telegram.api.sent() == []


async def test_a_group_that_became_a_supergroup_is_followed(
    telegram: Telegram, container: Container
) -> None:
    from bot.messages import Outbound

    async with container.unit_of_work() as uow:
        uow.outbox.put("telegram", "-4001", None, Outbound("Referral #1 for the staff"))
        await uow.commit()
    telegram.api.fail_next("sendMessage", -4001, status=400, migrate_to_chat_id=-1004001,
                           description="Bad Request: group chat was upgraded to a supergroup chat")
    telegram.container.deliveries.notify("telegram", "-4001")
    [sent] = await telegram.api.wait_sent(1, -1004001)
    assert sent["text"] == "Referral #1 for the staff"


class SlowNLU:
    """An NLU that takes its time, as a loaded server might."""

    def __init__(self, real: object) -> None:
        self._real = real

    async def parse(self, text: str):  # type: ignore[no-untyped-def]
        await asyncio.sleep(1.3)
        return await self._real.parse(text)  # type: ignore[attr-defined]


async def test_a_slow_answer_shows_typing_first(container: Container) -> None:
    from bot.engine import Engine

    engine = Engine(container.unit_of_work, container.content, container.translators, "sq",
                    SlowNLU(container.nlu), container.staff)
    api = FakeBotAPI()
    async with serving(api) as api_url:
        settings = _settings(container, api_url, webhook=False)
        services = replace(bootstrap.channel_services(container, "telegram"), engine=engine)
        channel = _channel(settings, container, services)
        async with _polling(channel, container):
            await api.push_message(CHAT, "menu")
            await api.wait_sent(1, CHAT)
            await api.push_message(CHAT, "a ka pune ne Has?")
            await api.wait_sent(2, CHAT, timeout=8)
    sent = api.calls_to("sendMessage")
    menu = next(c for c in sent if c.params["text"] == texts(api)[0])
    reply = next(c for c in sent if c.params["text"] == texts(api)[1])
    # "typing…" shows while the slow answer is being made (whether the quick menu got one
    # depends on how busy the machine is: not asserted)
    assert any(c.params["action"] == "typing" and menu.at < c.at < reply.at
               for c in api.calls_to("sendChatAction"))
