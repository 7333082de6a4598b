"""``youthbot run`` itself, long polling a fake Bot API, as it would run in production."""

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path


from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI

YOUTHBOT = str(Path(sys.executable).parent / "youthbot")
USER_ID = 734512968  # long enough never to turn up in a timestamp or a pid


async def test_run_polls_telegram_and_answers(
    database_url: str, nlu_model_dir: Path, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        upgrade = subprocess.run([YOUTHBOT, "db", "upgrade"], capture_output=True, text=True,
                                 env={**os.environ, "DATABASE_URL": database_url}, check=False)
        assert upgrade.returncode == 0, upgrade.stderr
    api = FakeBotAPI()
    async with serving(api) as api_url:
        env = {**os.environ, "DATABASE_URL": database_url, "NLU_MODEL_DIR": str(nlu_model_dir),
               "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{api_url}/bot",
               "PORT": "0", "LOG_LEVEL": "INFO", "NO_PROXY": "127.0.0.1,localhost"}
        bot = subprocess.Popen([YOUTHBOT, "run"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            await api.wait_for(lambda a: bool(a.calls_to("getUpdates")), timeout=60)
            await api.push_message(USER_ID, "menu")
            [reply] = await api.wait_sent(1, USER_ID, timeout=20)
        finally:
            bot.send_signal(signal.SIGTERM)
            _out, err = await asyncio.to_thread(bot.communicate, timeout=30)  # fake keeps serving
    assert "Tung!" in reply["text"]
    assert '"Application shutdown complete."' in err
    errors = [line for line in err.splitlines() if "\"level\": \"ERROR\"" in line]
    assert errors == [] and "Traceback" not in err
    assert '"event": "turn"' in err and str(USER_ID) not in err
