"""Telegram that cannot start does not stop the service: the Bot API down at start (502s) is
retried in the background while WhatsApp answers, and a token the Bot API rejects leaves
Telegram off with one log line that does not name it."""

import asyncio
import logging
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import telegram
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import USER, FakeTwilio
from tests.support import program

PUBLIC = "https://bot.example.org"
USER_ID = 734512968


async def test_a_rejected_token_leaves_telegram_off_and_is_not_logged(
    container: Container, caplog: pytest.LogCaptureFixture,
) -> None:
    async with serving(FakeBotAPI(token="654321:another-bots-token")) as api_url:
        settings = container.settings.model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot"})
        [channel] = bootstrap.build_channels(settings, container, [telegram])
        with caplog.at_level(logging.INFO):
            await channel.start()  # does not raise: the rest of the service goes on
        await channel.stop()
    assert channel.state == "off: the Bot API rejected TELEGRAM_BOT_TOKEN"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "telegram off: the Bot API rejected TELEGRAM_BOT_TOKEN"]


async def test_bot_api_down_at_start_whatsapp_serves_and_telegram_follows(
    database_url: str, nlu_model_dir: Path, tmp_path: Path,
) -> None:
    program.migrate(database_url)
    api, twilio = FakeBotAPI(), FakeTwilio(webhook_url=PUBLIC + "/webhooks/whatsapp")
    api.fail_next("getMe", status=502, description="Bad Gateway", times=1_000)
    port = program.free_port()
    async with serving(api) as api_url, serving(twilio) as twilio_url:
        twilio.route_public(PUBLIC, f"http://127.0.0.1:{port}")
        env = program.whatsapp_env(database_url, nlu_model_dir, twilio_url, PUBLIC, port) | {
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{api_url}/bot"}
        bot = subprocess.Popen([program.YOUTHBOT, "run"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            await program.healthy(f"http://127.0.0.1:{port}/healthz", timeout=60)
            await twilio.send_inbound(body="menu")
            [on_whatsapp] = await twilio.wait_messages(1, USER, timeout=20)
            async with httpx.AsyncClient(trust_env=False) as client:
                ready = (await client.get(f"http://127.0.0.1:{port}/readyz")).json()
            api.recover()  # the Bot API is back
            await api.wait_for(lambda a: bool(a.calls_to("getUpdates")), timeout=40)
            await api.push_message(USER_ID, "menu")
            [on_telegram] = await api.wait_sent(1, USER_ID, timeout=20)
        finally:
            bot.send_signal(signal.SIGTERM)
            out, err = await asyncio.to_thread(bot.communicate, timeout=30)
            program.watch(out, err, ["run"])
    assert "Tung!" in str(on_whatsapp.body) and "Tung!" in on_telegram["text"]
    assert ready["channels"]["telegram"].startswith("starting: the Bot API did not answer")
    assert ready["channels"]["whatsapp"] == "on (webhook)"
    retries = [line for line in err.splitlines() if '"telegram start failed; retrying"' in line]
    assert retries and all('"error": "NetworkError"' in line for line in retries)
    assert [line for line in err.splitlines()  # on once a retry got through
            if '"event": "telegram on (polling)"' in line and '"attempt"' in line]
    assert "Traceback" not in err
