"""The Bot API requests over aiohttp: python-telegram-bot's errors when the Bot API cannot be
reached, and no token in what they say (they end up in logs)."""

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.channels.telegram_http import AiohttpRequest
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.support.burst import free_port


async def test_the_bot_talks_to_the_bot_api_through_aiohttp() -> None:
    api = FakeBotAPI()
    async with serving(api) as url:
        async with Bot(TOKEN, base_url=f"{url}/bot", request=AiohttpRequest()) as bot:
            sent = await bot.send_message(4242, "Tung!")
    assert sent.text == "Tung!"
    assert [call.params["text"] for call in api.calls_to("sendMessage")] == ["Tung!"]


async def test_an_unreachable_bot_api_is_a_network_error_that_names_no_token() -> None:
    closed = free_port()  # nothing listens there
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{closed}/bot", request=AiohttpRequest())
    await bot.request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(4242, "Tung!")
    finally:
        await bot.request.shutdown()
    assert TOKEN not in str(raised.value)
    assert TOKEN.split(":")[1] not in repr(raised.value)


async def test_the_environments_proxy_carries_the_requests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server whose only way out is a proxy sets HTTP(S)_PROXY; the fake Bot API plays the
    proxy here, so a reply to a host nobody can resolve arrives only through it."""
    api = FakeBotAPI()
    async with serving(api) as url:
        monkeypatch.setenv("HTTP_PROXY", url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with Bot(TOKEN, base_url="http://api.telegram.invalid/bot",
                       request=AiohttpRequest()) as bot:
            await bot.send_message(4242, "Tung!")
    assert [call.params["text"] for call in api.calls_to("sendMessage")] == ["Tung!"]


async def test_no_proxy_names_the_hosts_reached_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeBotAPI()
    async with serving(api) as url:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")  # nothing there
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        async with Bot(TOKEN, base_url=f"{url}/bot", request=AiohttpRequest()) as bot:
            await bot.send_message(4242, "Tung!")
    assert len(api.calls_to("sendMessage")) == 1
