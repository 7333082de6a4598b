"""The fake Bot API, driven by python-telegram-bot itself over loopback HTTP."""

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
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


async def test_get_updates_long_polls_and_confirms_by_offset(api: FakeBotAPI, bot: Bot) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    pushed = await api.push_message(ANA, "/start ref_abc")
    [update] = await asyncio.wait_for(waiting, 1)
    assert update.update_id == pushed["update_id"]
    assert update.message is not None and update.message.parse_entities() == {
        update.message.entities[0]: "/start"}
    assert len(await bot.get_updates(timeout=0)) == 1  # not confirmed yet
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    started = asyncio.get_running_loop().time()
    assert await bot.get_updates(timeout=1) == ()
    assert asyncio.get_running_loop().time() - started >= 0.9


async def test_other_pushed_updates_parse_in_ptb(api: FakeBotAPI, bot: Bot) -> None:
    await api.push_photo(ANA, caption="CV ime")
    await api.push_blocked(ANA)
    await api.push_update({"edited_message": {
        "message_id": 1, "date": 1735689600, "edit_date": 1735689700, "text": "Ndryshuar",
        "chat": {"id": ANA, "type": "private", "first_name": "Ana"}}})
    photo, blocked, edited = await bot.get_updates(timeout=0)
    assert photo.message is not None and photo.message.caption == "CV ime"
    assert len(photo.message.photo) == 2
    assert blocked.my_chat_member is not None
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert edited.edited_message is not None and edited.edited_message.text == "Ndryshuar"
    assert [update.update_id for update in (photo, blocked, edited)] == [1, 2, 3]


async def test_a_second_poller_ends_the_first_with_conflict(bot: Bot, url: str) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    async with Bot(TOKEN, base_url=f"{url}/bot") as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="(?i)terminated by other getUpdates"):
        await first


async def test_commands_are_stored_per_scope_and_language(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Fillo")], language_code="sq")
    assert api.commands == {("default", "sq"): [{"command": "start", "description": "Fillo"}]}
    assert await bot.get_my_commands(language_code="sq") == (BotCommand("start", "Fillo"),)
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "Fillo")])
    await bot.delete_my_commands(language_code="sq")
    assert api.commands == {}


async def test_copy_forward_and_get_chat(api: FakeBotAPI, bot: Bot) -> None:
    pushed = await api.push_message(ANA, "Kam nevojë për ndihmë", first_name="Drita")
    copied = await bot.copy_message(-1001, ANA, pushed["message"]["message_id"])
    forwarded = await bot.forward_message(-1001, ANA, pushed["message"]["message_id"])
    assert (copied.message_id, forwarded.message_id) == (1, 2)
    assert forwarded.text == "Kam nevojë për ndihmë"
    assert forwarded.forward_origin is not None and forwarded.forward_origin.type == "user"
    with pytest.raises(BadRequest, match="(?i)message to copy not found"):
        await bot.copy_message(-1001, ANA, 99)
    assert (await bot.get_chat(ANA)).first_name == "Drita"


async def test_polling_application_echoes_a_pushed_message(
    api: FakeBotAPI, application: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text
        await update.effective_message.reply_text(update.effective_message.text)

    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(application):
        update = await api.push_message(ANA, "Tungjatjeta")
        [echoed] = await api.wait_sent(1, chat_id=ANA)
    assert echoed["text"] == "Tungjatjeta"
    assert [call.method for call in api.calls[:3]] == ["getMe", "deleteWebhook", "getUpdates"]
    final = api.calls_to("getUpdates")[-1].params  # stop() confirms what was fetched
    assert (final["offset"], final["timeout"]) == (update["update_id"] + 1, 0)


async def test_command_and_button_round_trip(
    api: FakeBotAPI, application: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"args={context.args}", reply_markup=YES)

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Faleminderit")
        await query.edit_message_text(f"Zgjodhe: {query.data}")

    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(button))
    async with polling(application):
        await api.push_message(ANA, "/start ref_abc")
        [menu] = await api.wait_sent(1, chat_id=ANA)
        with pytest.raises(AssertionError, match="no button 'no'"):
            await api.push_callback(ANA, "no")
        await api.push_callback(ANA, "yes")
        await api.wait_for(lambda fake: bool(fake.calls_to("editMessageText")))
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await application.bot.edit_message_text("Zgjodhe: yes", ANA, 2)
    assert menu["text"] == "args=['ref_abc']"
    [answer] = api.calls_to("answerCallbackQuery")
    assert (answer.status, answer.params["text"]) == (200, "Faleminderit")
    edit, repeat = api.calls_to("editMessageText")
    assert (edit.status, edit.params["message_id"], repeat.status) == (200, 2, 400)


async def test_answer_callback_query_limits(api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(ANA, "Zgjidh", reply_markup=YES)
    query_id = (await api.push_callback(ANA, "yes"))["callback_query"]["id"]
    with pytest.raises(BadRequest, match="(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(query_id, "a" * 201)
    await bot.answer_callback_query(query_id, "a" * 200)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(query_id)


async def test_webhook_mode_posts_with_secret_and_retries(api: FakeBotAPI, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    answers = [500]  # the first delivery fails, so the fake must retry

    async def hook(request: Request) -> Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                         await request.json()))
        return Response(status_code=answers.pop(0) if answers else 200)

    receiver = Starlette(routes=[Route("/telegram", hook, methods=["POST"])])
    async with serving(receiver) as hook_url:
        await bot.set_webhook(f"{hook_url}/telegram", secret_token="s3cret")
        update = await api.push_message(ANA, "Përshëndetje")
        await api.deliver_again(update)
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        assert (await bot.get_webhook_info()).url == f"{hook_url}/telegram"
    assert received == [("s3cret", update)] * 3
    chat = Update.de_json(received[0][1], bot).effective_chat
    assert chat is not None and chat.id == ANA
