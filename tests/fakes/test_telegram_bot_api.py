"""The fake Bot API, driven by python-telegram-bot itself over loopback HTTP: sending,
Telegram's limits and errors, the wire formats. Updates, polling and webhooks are in
``test_telegram_bot_api_updates``."""

# ruff: noqa: F811 - the imported fixtures are requested by parameter name

import datetime as dtm

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter

from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.telegram_fixtures import ANA, YES, api, bot, url  # noqa: F401 (fixtures)


async def test_get_me_is_the_kukes_bot(api: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot) == ("kukes_youth_bot", True)
    assert [call.method for call in api.calls] == ["getMe", "getMe"]  # initialize() + ours


async def test_send_message_is_recorded_with_decoded_keyboard(api: FakeBotAPI, bot: Bot) -> None:
    first = await bot.send_message(ANA, "Përshëndetje", reply_markup=YES)
    second = await bot.send_message(ANA, "123")
    assert (first.message_id, second.message_id) == (1, 2)
    assert first.reply_markup == YES and first.chat.id == ANA
    sent = api.sent(ANA)
    assert sent[0]["chat_id"] == ANA
    assert sent[0]["reply_markup"] == {
        "inline_keyboard": [[{"text": "Po", "callback_data": "yes"}]]}
    assert sent[1]["text"] == "123"  # text stays a string even when it looks like JSON
    assert api.sent(7) == []


async def test_callback_data_is_limited_in_bytes_not_characters(api: FakeBotAPI, bot: Bot) -> None:
    def button(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Po", callback_data=data)]])

    await bot.send_message(ANA, "ok", reply_markup=button("ë" * 32))  # 64 bytes
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ANA, "too long", reply_markup=button("ë" * 33))  # 66 bytes
    assert [params["text"] for params in api.sent()] == ["ok"]


@pytest.mark.parametrize(("text", "parse_mode", "error"), [
    ("a" * 4097, None, "message is too long"),
    (" ", None, "message text is empty"),
    ("<b></b>", "HTML", "message text is empty"),
])
async def test_text_limits(bot: Bot, text: str, parse_mode: str | None, error: str) -> None:
    # PTB drops "Bad Request: " and capitalizes the rest, hence (?i) in every match here.
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await bot.send_message(ANA, text, parse_mode=parse_mode)


async def test_text_limit_counts_what_the_user_sees(api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(ANA, "a" * 4096)
    await bot.send_message(ANA, f"<b>{'a' * 4096}</b>", parse_mode="HTML")
    assert len(api.sent(ANA)) == 2


async def test_retry_after(
    api: FakeBotAPI, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22.2+ deprecates the int form of retry_after and warns unless we opt in to timedelta.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.fail_next("sendMessage", ANA, status=429,
                  description="Too Many Requests: retry after 3", retry_after=3)
    await bot.send_message(7, "another chat is not affected")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANA, "x")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(ANA, "x")
    assert [call.status for call in api.calls_to("sendMessage")] == [200, 429, 200]
    assert len(api.sent(ANA)) == 1


async def test_forbidden_twice_then_delivered(api: FakeBotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", ANA, status=403,
                  description="Forbidden: bot was blocked by the user", times=2)
    for _ in range(2):
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(ANA, "x")
    await bot.send_message(ANA, "x")


async def test_chat_migrated(api: FakeBotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", -5, status=400, migrate_to_chat_id=-1005,
                  description="Bad Request: group chat was upgraded to a supergroup chat")
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-5, "staff alert")
    assert caught.value.new_chat_id == -1005
    message = await bot.send_message(-1005, "staff alert")
    assert message.chat.type == "supergroup"


async def test_wire_formats_and_envelopes(api: FakeBotAPI, url: str) -> None:
    """Bodies PTB does not send for these methods, but the fake must still read."""
    base = f"{url}/bot{TOKEN}"
    async with httpx.AsyncClient(trust_env=False) as client:
        await client.post(f"{base}/sendMessage", json={"chat_id": ANA, "text": "json"})
        await client.post(f"{base}/sendMessage", data={"chat_id": "42", "text": "ë multipart"},
                          files={"document": ("a.bin", b"\x00\xff")})
        await client.get(f"{base}/sendMessage", params={"chat_id": "42", "text": "query"})
        unauthorized = await client.post(f"{url}/bot1:wrong/getMe")
        not_found = await client.post(f"{base}/sendTelepathy")
    assert [(params["chat_id"], params["text"]) for params in api.sent()] == [
        (ANA, "json"), (ANA, "ë multipart"), (ANA, "query")]
    assert api.calls_to("sendMessage")[1].params["document"] == b"\x00\xff"
    assert (unauthorized.status_code, unauthorized.json()) == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert (not_found.status_code, not_found.json()) == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_wrong_token_is_invalid_token_in_ptb(url: str) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=f"{url}/bot"):  # initialize() calls getMe
            pass
