"""``youthbot telegram whoami`` against the fake Bot API: what an admin reads to fill in
TELEGRAM_STAFF_CHAT_ID and TELEGRAM_STAFF_USER_IDS."""

import asyncio
import os
import sys
from pathlib import Path

from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI

YOUTHBOT = str(Path(sys.executable).parent / "youthbot")
STAFF_CHAT = -1001234567890
YOUNG_PERSON = 777001


async def whoami(api_url: str, cwd: Path, token: str = TOKEN) -> tuple[int, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    env |= {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": f"{api_url}/bot"}
    process = await asyncio.create_subprocess_exec(
        YOUTHBOT, "telegram", "whoami", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_lists_the_group_and_who_wrote_there_but_no_private_chat(tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.push_message(YOUNG_PERSON, "tung", first_name="Drita")
    await api.push_message(STAFF_CHAT, "/id", user_id=5551, first_name="Besa")
    await api.push_message(STAFF_CHAT, "/id", user_id=5552, first_name="Arben")

    async with serving(api) as url:
        code, printed = await whoami(url, tmp_path)
        again, _ = await whoami(url, tmp_path)

    assert code == 0, printed
    assert "bot: @kukes_youth_bot (id 123456)" in printed
    assert f"chat {STAFF_CHAT}  supergroup  'Staff'" in printed
    assert "user 5551  Besa" in printed and "user 5552  Arben" in printed
    assert str(YOUNG_PERSON) not in printed and "Drita" not in printed
    assert again == 0
    assert len(api._pending) == 3, "whoami must leave the updates for the service"


async def test_with_a_webhook_set_it_says_where_to_look_instead(tmp_path: Path) -> None:
    api = FakeBotAPI()
    api.webhook_url = "https://bot.example.org/webhooks/telegram"

    async with serving(api) as url:
        code, printed = await whoami(url, tmp_path)

    assert code == 0, printed
    assert "a webhook is set (https://bot.example.org/webhooks/telegram)" in printed
    assert "write /id in the staff group" in printed
    assert not api.calls_to("getUpdates")


async def test_a_refused_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    async with serving(FakeBotAPI()) as url:
        code, printed = await whoami(url, tmp_path, token="123456:WRONG-token")

    assert code == 1
    assert printed.strip() == ("TELEGRAM_BOT_TOKEN was refused by Telegram: copy it again "
                               "from @BotFather")
