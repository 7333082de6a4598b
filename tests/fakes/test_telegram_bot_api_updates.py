"""The fake Bot API, driven by python-telegram-bot itself: updates pushed in, long polling,
commands, copies and forwards, a PTB application round trip, and webhook delivery."""

# ruff: noqa: F811 - the imported fixtures are requested by parameter name

import asyncio
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, BotCommand, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.telegram_fixtures import (  # noqa: F401 (fixtures)
    ANA,
    YES,
    api,
    application,
    bot,
    polling,
    url,
)


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
