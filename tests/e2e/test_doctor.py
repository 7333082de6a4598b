"""``youthbot doctor`` as an operator runs it, against the fake Bot API and the fake Twilio on
loopback and a real database: exit 0 only when all is well, a line saying what to fix
otherwise, and never a secret in what it prints."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.storage import migrate
from bot.storage.database import create_engine
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, FakeTwilio
from tests.support.secrets import LOG_SALT, SECRETS, WEBHOOK_SECRET

YOUTHBOT = str(Path(sys.executable).parent / "youthbot")
STAFF_CHAT = -1001234567890
CASEWORKER = 5551
PUBLIC = "https://bot.example.org"
WEBHOOK = f"{PUBLIC}/webhooks/telegram"
OURS = ("DATABASE_", "TELEGRAM_", "TWILIO_", "PUBLIC_", "LOG_", "PORT", "HOST")


@dataclass
class Installation:
    """A deploy whose every check passes; tests break one thing each."""

    api: FakeBotAPI
    env: dict[str, str]
    cwd: Path

    async def doctor(self, **changes: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            YOUTHBOT, "doctor", cwd=self.cwd, env=self.env | changes,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(process.communicate(), 60)
        printed = out.decode()
        for secret in SECRETS.values():
            assert secret not in printed
        assert process.returncode is not None
        return process.returncode, printed


@pytest.fixture
async def installation(database_url: str, tmp_path: Path) -> AsyncIterator[Installation]:
    database = create_engine(database_url)
    await migrate.upgrade(database)
    await database.dispose()
    api = FakeBotAPI()
    api.webhook_url = WEBHOOK
    api.join(STAFF_CHAT, admin=True)
    api.join(STAFF_CHAT, CASEWORKER)
    async with serving(api) as api_url, serving(FakeTwilio()) as twilio_url:
        env = {key: value for key, value in os.environ.items() if not key.startswith(OURS)}
        env |= {
            "DATABASE_URL": database_url, "LOG_SALT": LOG_SALT,
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{api_url}/bot",
            "TELEGRAM_WEBHOOK_URL": WEBHOOK, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TELEGRAM_STAFF_CHAT_ID": str(STAFF_CHAT),
            "TELEGRAM_STAFF_USER_IDS": str(CASEWORKER),
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_NUMBER": BOT_NUMBER, "TWILIO_API_BASE_URL": twilio_url,
            "PUBLIC_BASE_URL": PUBLIC,
        }
        yield Installation(api, env, tmp_path)


def lines_of(printed: str, mark: str) -> list[str]:
    return [line for line in printed.splitlines() if line.startswith(mark)]


async def test_all_well_exits_0_with_every_check_ticked(installation: Installation) -> None:
    code, printed = await installation.doctor()

    assert code == 0, printed
    assert not lines_of(printed, "✗")
    ticked = " ".join(lines_of(printed, "✓"))
    for name in ("database", "schema", "staff", "Telegram token", "Telegram webhook",
                 "staff group", f"caseworker {CASEWORKER}", "Twilio credentials",
                 "WhatsApp sender", "PUBLIC_BASE_URL"):
        assert f"✓ {name}:" in ticked, name
    assert "@kukes_youth_bot" in printed
    assert f"{PUBLIC}/webhooks/whatsapp/status" in printed


async def test_a_refused_token_is_a_failed_line_that_does_not_show_the_token(
    installation: Installation
) -> None:
    wrong = "123456:WRONG-token-never-printed"

    code, printed = await installation.doctor(TELEGRAM_BOT_TOKEN=wrong)

    assert code != 0
    assert "✗ Telegram token: TELEGRAM_BOT_TOKEN was refused by Telegram" in printed
    assert wrong not in printed and "WRONG" not in printed


async def test_a_schema_behind_the_code_fails(installation: Installation) -> None:
    database = create_engine(installation.env["DATABASE_URL"])
    await migrate.downgrade(database, "-1")
    behind = await migrate.current_revision(database)
    await database.dispose()

    code, printed = await installation.doctor()

    assert code != 0
    assert f"✗ schema: at {behind}, the code needs {migrate.head_revision()}" in printed
    assert "fix: run `youthbot db upgrade`" in printed


async def test_a_bot_that_is_not_an_admin_of_the_staff_group_fails(
    installation: Installation
) -> None:
    installation.api.join(STAFF_CHAT)  # a plain member again

    code, printed = await installation.doctor()

    assert code != 0
    assert "✗ staff group: the bot is member in Staff" in printed


async def test_a_staff_group_the_bot_is_not_in_and_a_webhook_elsewhere_fail(
    installation: Installation
) -> None:
    installation.api.webhook_url = "https://old.example.org/webhooks/telegram"

    code, printed = await installation.doctor(TELEGRAM_STAFF_CHAT_ID="-1009999")

    assert code != 0
    assert "✗ staff group: chat -1009999: Chat not found" in printed
    assert "Telegram sends updates to https://old.example.org/webhooks/telegram" in printed


async def test_refused_twilio_credentials_and_a_missing_whatsapp_setting_fail(
    installation: Installation
) -> None:
    code, printed = await installation.doctor(TWILIO_AUTH_TOKEN="0" * 32)

    assert code != 0
    assert "✗ Twilio credentials: TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN was refused" in printed

    code, printed = await installation.doctor(TWILIO_WHATSAPP_NUMBER="")

    assert code != 0
    assert "✗ WhatsApp: TWILIO_WHATSAPP_NUMBER not set" in printed


async def test_a_setting_that_cannot_be_read_is_named(installation: Installation) -> None:
    code, printed = await installation.doctor(PORT="abc")

    assert code != 0
    assert "✗ PORT: 'abc' is not a whole number; e.g. PORT=8080" in printed
