"""Every misconfiguration an operator can make gets one line on stderr, naming the variable, what
is wrong and a right value, and exit status 78 (EX_CONFIG), from the real ``youthbot`` program;
never a traceback, never a secret's value."""

import os
from pathlib import Path

import pytest

from bot.config import Settings
from bot.storage import migrate
from bot.storage.database import create_engine
from tests.fakes.telegram_bot_api import TOKEN
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER
from tests.support import program
from tests.support.secrets import LOG_SALT, WEBHOOK_SECRET

UNREACHABLE_PG = "postgresql://youthbot@127.0.0.1:1/youthbot"
HOOK = "https://bot.example.org/webhooks/telegram"
TWILIO = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
          "TWILIO_WHATSAPP_NUMBER": BOT_NUMBER, "PUBLIC_BASE_URL": "https://bot.example.org"}

ROWS: list[tuple[str, dict[str, str], str]] = [
    ("port", {"PORT": "abc"}, "PORT: 'abc' is not a whole number; e.g. PORT=8080"),
    ("port range", {"PORT": "70000"}, "PORT: '70000' is not at most 65535; e.g. PORT=8080"),
    ("staff ids", {"TELEGRAM_STAFF_USER_IDS": "@anna"},
     "TELEGRAM_STAFF_USER_IDS: '@anna' is not a numeric Telegram user id; "
     "e.g. TELEGRAM_STAFF_USER_IDS=123456789,987654321"),
    ("locale", {"DEFAULT_LOCALE": "de"},
     "DEFAULT_LOCALE: 'de' is not one of 'sq' or 'en'; e.g. DEFAULT_LOCALE=sq"),
    ("templates", {"TWILIO_WAITING_TEMPLATES": "{sq: HX1}"},
     "TWILIO_WAITING_TEMPLATES: is not valid JSON; e.g. "
     "TWILIO_WAITING_TEMPLATES='{\"sq\": \"HX...\", \"en\": \"HX...\"}'"),
    ("bad webhook secret", {"TELEGRAM_WEBHOOK_SECRET": "not secret!"},
     "TELEGRAM_WEBHOOK_SECRET: the value must be 1-256 characters of A-Z a-z 0-9 _ -; "
     "e.g. TELEGRAM_WEBHOOK_SECRET="),
    ("staff chat without token", {"TELEGRAM_STAFF_CHAT_ID": "-1001234567890"},
     "TELEGRAM_STAFF_CHAT_ID: set, but TELEGRAM_BOT_TOKEN is not"),
    ("whatsapp 3 of 4", {**TWILIO, "PUBLIC_BASE_URL": ""},
     "PUBLIC_BASE_URL: not set, but WhatsApp needs it with TWILIO_ACCOUNT_SID, "
     "TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER; set all four"),
    ("whatsapp 2 of 4", {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN},
     "TWILIO_WHATSAPP_NUMBER, PUBLIC_BASE_URL: not set, but WhatsApp needs them"),
    ("whatsapp number", {**TWILIO, "TWILIO_WHATSAPP_NUMBER": "+14155238886"},
     "TWILIO_WHATSAPP_NUMBER: '+14155238886' is not a WhatsApp sender; "
     "e.g. TWILIO_WHATSAPP_NUMBER=whatsapp:+14155238886"),
    ("public url not https", {**TWILIO, "PUBLIC_BASE_URL": "http://bot.example.org"},
     "PUBLIC_BASE_URL: 'http://bot.example.org' is not an https:// address"),
    ("webhook without secret", {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_URL": HOOK},
     "TELEGRAM_WEBHOOK_SECRET: not set, but TELEGRAM_WEBHOOK_URL is"),
    ("secret without webhook",
     {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET},
     "TELEGRAM_WEBHOOK_URL: not set, but TELEGRAM_WEBHOOK_SECRET is"),
    ("webhook not https", {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
                           "TELEGRAM_WEBHOOK_URL": "http://bot.example.org/webhooks/telegram"},
     "TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/webhooks/telegram' is not an https://"),
    ("rasa without url", {"NLU_BACKEND": "rasa"}, "RASA_URL: not set, but NLU_BACKEND=rasa"),
    ("no salt on postgresql", {"DATABASE_URL": UNREACHABLE_PG, "LOG_SALT": ""},
     "LOG_SALT: not set; outside the embedded SQLite database it must be a secret of at "
     "least 16 characters"),
    ("public salt on postgresql", {"DATABASE_URL": UNREACHABLE_PG, "LOG_SALT": "youthbot"},
     "LOG_SALT: not set;"),
    ("short salt on postgresql", {"DATABASE_URL": UNREACHABLE_PG, "LOG_SALT": "short"},
     "LOG_SALT: too short;"),
]


def clean_env(tmp_path: Path, nlu_model_dir: Path, **values: str) -> dict[str, str]:
    """The test's environment without any setting, then ``values`` (empty: left unset)."""
    names = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(NLU_MODEL_DIR=str(nlu_model_dir), NO_PROXY="127.0.0.1,localhost",
               DATABASE_URL=f"sqlite:///{tmp_path / 'youthbot.db'}", LOG_SALT=LOG_SALT)
    env.update(values)
    return {k: v for k, v in env.items() if v != ""}


@pytest.mark.parametrize(("values", "line"), [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_a_misconfiguration_is_one_line_and_exit_78(
    values: dict[str, str], line: str, tmp_path: Path, nlu_model_dir: Path,
) -> None:
    done = program.run(["run"], env=clean_env(tmp_path, nlu_model_dir, **values), cwd=tmp_path)
    assert done.returncode == 78, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(line), done.stderr
    assert "Traceback" not in done.stderr and "psycopg2" not in done.stderr
    assert "not secret!" not in done.stderr  # a secret's value is never repeated


def test_every_command_that_reads_settings_says_so_in_one_line(
    tmp_path: Path, nlu_model_dir: Path,
) -> None:
    env = clean_env(tmp_path, nlu_model_dir, PORT="abc")
    for args in (["chat"], ["db", "upgrade"], ["staff", "list"], ["referrals", "list"]):
        done = program.run(args, env=env, cwd=tmp_path)
        assert (done.returncode, done.stderr) == (
            78, "PORT: 'abc' is not a whole number; e.g. PORT=8080\n"), args


def test_postgresql_urls_get_the_async_driver_and_a_database_down_is_one_line(
    tmp_path: Path, nlu_model_dir: Path,
) -> None:
    """``postgresql://`` and ``postgres://`` are accepted (no "No module named psycopg2");
    a database that does not answer is one line too, exit 69 so a supervisor retries."""
    for url in (UNREACHABLE_PG, UNREACHABLE_PG.replace("postgresql", "postgres", 1)):
        done = program.run(["run"], env=clean_env(tmp_path, nlu_model_dir, DATABASE_URL=url),
                           cwd=tmp_path)
        assert done.returncode == 69, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith(
            "DATABASE_URL: the database does not answer (ConnectionRefusedError)")
        assert "Traceback" not in done.stderr and "psycopg2" not in done.stderr


def test_no_trained_model_and_no_training_at_start_refuses(tmp_path: Path) -> None:
    env = clean_env(tmp_path, tmp_path / "no model here", NLU_TRAIN_ON_START="false")
    done = program.run(["run"], env=env, cwd=tmp_path)
    assert done.returncode == 78, done.stderr
    assert done.stderr.splitlines()[-1].startswith(  # after the SQLite migration's log lines
        f"NLU_TRAIN_ON_START: false, and NLU_MODEL_DIR ({tmp_path / 'no model here'}) holds no "
        "model for the current training data; run `youthbot nlu train`")
    assert not (tmp_path / "no model here").exists()  # nothing was trained


async def test_a_schema_behind_head_refuses_on_postgresql_and_sqlite_is_migrated(
    database_url: str, tmp_path: Path, nlu_model_dir: Path,
) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        await migrate.downgrade(engine, "-1")
        behind = await migrate.current_revision(engine)
    finally:
        await engine.dispose()
    env = clean_env(tmp_path, nlu_model_dir, DATABASE_URL=database_url)
    if database_url.startswith("sqlite"):  # the embedded database brings itself up to date
        done = program.run(["chat"], env=env, cwd=tmp_path, stdin="menu\n")
        assert done.returncode == 0, done.stderr
        return
    done = program.run(["run"], env=env, cwd=tmp_path)
    assert done.returncode == 78, done.stderr
    assert done.stderr == (
        f"DATABASE_URL: the database schema is at revision {behind}, this code needs "
        f"{migrate.head_revision()}: run `youthbot db upgrade`\n")


def test_set_webhook_without_a_webhook_url_says_what_it_needs(
    tmp_path: Path, nlu_model_dir: Path,
) -> None:
    env = clean_env(tmp_path, nlu_model_dir, TELEGRAM_BOT_TOKEN=TOKEN)
    done = program.run(["telegram", "set-webhook"], env=env, cwd=tmp_path)
    assert done.returncode == 78
    assert done.stderr.startswith("TELEGRAM_WEBHOOK_URL: not set, and set-webhook needs it")


def test_with_no_settings_at_all_the_terminal_chat_works(
    tmp_path: Path, nlu_model_dir: Path,
) -> None:
    """The embedded default: no LOG_SALT, no database URL, nothing (but the trained model's
    folder, so the test need not train)."""
    names = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k not in names}
    env["NLU_MODEL_DIR"] = str(nlu_model_dir)
    done = program.run(["chat"], env=env, cwd=tmp_path, stdin="menu\n")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "youthbot.db").exists()
