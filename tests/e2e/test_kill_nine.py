"""Kill -9 in the middle of a burst: 500 messages from 100 users reach the webhook, the real
``youthbot run`` is killed with SIGKILL once 150 have been acknowledged and started again, and
the load generator redelivers what was not acknowledged, as the platforms do. Every message is
answered, once, in order per chat.

Once means: no message is handled twice (the redelivery of one whose turn committed is
recognised), and no reply is sent twice, except a reply whose send was under way at the kill:
no platform can be asked whether such a request arrived, so it is sent again when its lease
runs out (``LEASE``, 60 s). The test allows a repeat only for those, read from the database
while the bot is dead.
"""

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from bot.delivery.outbox import LEASE
from bot.storage.database import create_engine
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, FakeTwilio
from tests.support.burst import (
    MESSAGES,
    Bot,
    Burst,
    Post,
    free_port,
    in_flight,
    migrate,
    received_all,
    without_repeats,
)

USERS = range(1, 101)
DRY_RUN = 1000
KILL_AFTER = 150
CONCURRENCY = 20
SECRET = "kill-nine-secret"
PUBLIC = "https://bot.example.org"
CHAT_BASE = 734_000_000  # Telegram chat ids long enough never to turn up in a log by chance


def bot_env(database_url: str, nlu_model_dir: Path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "NLU_MODEL_DIR": str(nlu_model_dir),
            "LOG_LEVEL": "WARNING", "LOG_SALT": "kill-nine-test-salt-5f1c2a9e"}


async def test_kill_nine_mid_burst_on_the_telegram_webhook(
    database_url: str, nlu_model_dir: Path, tmp_path: Path
) -> None:
    migrate(database_url)
    api = FakeBotAPI()
    async with serving(api) as api_url, httpx.AsyncClient(
        trust_env=False, timeout=10, limits=httpx.Limits(keepalive_expiry=2.0)
    ) as client:
        bot = Bot(bot_env(database_url, nlu_model_dir) | {
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{api_url}/bot",
            "TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/webhooks/telegram",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MAX_RATE": "1000",
        }, free_port(), tmp_path)

        async def post(user: int, k: int) -> int:
            update = _telegram_update(user * 10 + k, CHAT_BASE + user, k + 1, MESSAGES[k])
            response = await client.post(f"{bot.url}/webhooks/telegram", json=update,
                                         headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            return response.status_code

        def replies() -> dict[int, list[str]]:
            return _by_user((int(m["chat_id"]) - CHAT_BASE, str(m["text"])) for m in api.sent())

        await _burst_with_a_kill(bot, post, replies, database_url,
                                 lambda address: int(address) - CHAT_BASE)


async def test_kill_nine_mid_burst_on_the_whatsapp_webhook(
    database_url: str, nlu_model_dir: Path, tmp_path: Path
) -> None:
    migrate(database_url)
    twilio = FakeTwilio(webhook_url=f"{PUBLIC}/webhooks/whatsapp", auto_status=False)
    async with serving(twilio) as twilio_url:
        port = free_port()
        twilio.route_public(PUBLIC, f"http://127.0.0.1:{port}")
        bot = Bot(bot_env(database_url, nlu_model_dir) | {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_NUMBER": BOT_NUMBER, "TWILIO_API_BASE_URL": twilio_url,
            "PUBLIC_BASE_URL": PUBLIC,
        }, port, tmp_path)

        async def post(user: int, k: int) -> int:  # a retry keeps its MessageSid, as Twilio's
            response = await twilio.send_inbound(
                from_=_whatsapp(user), body=MESSAGES[k], message_sid=f"SM{user:016x}{k:016x}")
            return response.status_code

        def replies() -> dict[int, list[str]]:
            return _by_user((_user_of(m.to), str(m.body)) for m in twilio.messages)

        await _burst_with_a_kill(bot, post, replies, database_url, _user_of)


async def _burst_with_a_kill(
    bot: Bot, post: Post, replies: Callable[[], dict[int, list[str]]], database_url: str,
    user_of: Callable[[str], int],
) -> None:
    await bot.start()
    try:
        for k in range(len(MESSAGES)):  # a dry run: what each message is answered with
            assert await post(DRY_RUN, k) == 200
        expected = (await received_all(replies, len(MESSAGES), [DRY_RUN], 20))[DRY_RUN]
        assert len(expected) == len(MESSAGES)

        burst = Burst(USERS, len(MESSAGES), CONCURRENCY)
        posting = asyncio.create_task(burst.run(post))
        await burst.reached(KILL_AFTER)
        bot.kill()
        unsettled = Counter({user_of(address): n
                             for address, n in (await in_flight(database_url)).items()})
        await bot.start()
        await posting
        got = await received_all(replies, len(MESSAGES), USERS,
                                 timeout=LEASE.total_seconds() + 30)
    finally:
        bot.stop()

    assert burst.redelivered > 0, "the kill landed after the burst: nothing was tested"
    wrong = {user: got.get(user, []) for user in USERS
             if without_repeats(got.get(user, []), unsettled[user]) != expected}
    assert wrong == {}, f"expected {expected} per chat; {len(wrong)} chats differ"
    assert await _handled(database_url) == (len(USERS) + 1) * len(MESSAGES)
    assert "Traceback" not in bot.logs()


def _telegram_update(update_id: int, chat: int, message_id: int, words: str) -> dict[str, Any]:
    person = {"id": chat, "is_bot": False, "first_name": "Ana", "language_code": "sq"}
    return {"update_id": update_id, "message": {
        "message_id": message_id, "date": 1_765_000_000, "text": words, "from": person,
        "chat": {"id": chat, "type": "private", "first_name": "Ana"}}}


def _whatsapp(user: int) -> str:
    return f"whatsapp:+35569{user:07d}"


def _user_of(address: str) -> int:
    return int(address.removeprefix("whatsapp:+35569"))


def _by_user(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for user, reply in pairs:
        found.setdefault(user, []).append(reply)
    return found


async def _handled(database_url: str) -> int:
    """Messages the bot handled (the message log's inbound rows): one a message, never two."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.scalar(
                text("SELECT count(*) FROM messages WHERE direction = 'in'"))) or 0)
    finally:
        await engine.dispose()
