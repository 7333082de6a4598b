"""``youthbot run`` itself, as it would run in production: long polling a fake Bot API, and
taking WhatsApp webhooks from a fake Twilio."""

import asyncio
import json
import os
import signal
import subprocess
from pathlib import Path

import httpx

from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import USER, FakeTwilio
from tests.support import program

USER_ID = 734512968  # long enough never to turn up in a timestamp or a pid


async def test_run_polls_telegram_and_answers(
    database_url: str, nlu_model_dir: Path, tmp_path: Path
) -> None:
    program.migrate(database_url)
    api = FakeBotAPI()
    async with serving(api) as api_url:
        env = {**os.environ, "DATABASE_URL": database_url, "NLU_MODEL_DIR": str(nlu_model_dir),
               "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{api_url}/bot",
               "PORT": "0", "LOG_LEVEL": "INFO", "NO_PROXY": "127.0.0.1,localhost"}
        bot = subprocess.Popen([program.YOUTHBOT, "run"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            await api.wait_for(lambda a: bool(a.calls_to("getUpdates")), timeout=60)
            await api.push_message(USER_ID, "menu")
            [reply] = await api.wait_sent(1, USER_ID, timeout=20)
        finally:
            bot.send_signal(signal.SIGTERM)
            out, err = await asyncio.to_thread(bot.communicate, timeout=30)  # fake keeps serving
            program.watch(out, err, ["run"])
    assert "Tung!" in reply["text"]
    assert '"Application shutdown complete."' in err
    errors = [line for line in err.splitlines() if "\"level\": \"ERROR\"" in line]
    assert errors == [] and "Traceback" not in err
    assert '"event": "turn"' in err and str(USER_ID) not in err
    assert _channel_lines(err) == [  # one line a channel at start: on and how, or off and why
        "telegram on (polling)",
        "whatsapp off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER, "
        "PUBLIC_BASE_URL are not set",
        "web off: WEB_SECRET_KEY is not set"]


async def test_run_answers_whatsapp_through_twilio(
    database_url: str, nlu_model_dir: Path, tmp_path: Path
) -> None:
    program.migrate(database_url)
    public = "https://bot.example.org"
    twilio = FakeTwilio(webhook_url=public + "/webhooks/whatsapp")
    port = program.free_port()
    async with serving(twilio) as twilio_url:
        twilio.route_public(public, f"http://127.0.0.1:{port}")
        env = program.whatsapp_env(database_url, nlu_model_dir, twilio_url, public, port)
        bot = subprocess.Popen([program.YOUTHBOT, "run"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            await program.healthy(f"http://127.0.0.1:{port}/healthz", timeout=60)
            response = await twilio.send_inbound(body="menu")
            [reply] = await twilio.wait_messages(1, USER, timeout=20)
            async with httpx.AsyncClient(trust_env=False) as client:
                ready = await client.get(f"http://127.0.0.1:{port}/readyz")
        finally:
            bot.send_signal(signal.SIGTERM)
            out, err = await asyncio.to_thread(bot.communicate, timeout=30)
            program.watch(out, err, ["run"])
    assert response.status_code == 200
    assert "Tung!" in str(reply.body)
    assert '"Application shutdown complete."' in err and "Traceback" not in err
    assert USER.removeprefix("whatsapp:+") not in err  # no phone number in the logs
    states = {"telegram": "off: TELEGRAM_BOT_TOKEN is not set", "whatsapp": "on (webhook)",
              "web": "off: WEB_SECRET_KEY is not set"}
    assert _channel_lines(err) == [f"{name} {state}" for name, state in states.items()]
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "channels": states}


def _channel_lines(err: str) -> list[str]:
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return [line["event"] for line in lines if line["logger"] == "youthbot.startup"]

