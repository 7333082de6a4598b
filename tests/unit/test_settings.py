import io
import logging

import pytest

from bot import logs
from bot.config import Settings, load_settings


def test_defaults_are_the_embedded_ones(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("DATABASE_URL", "DEFAULT_LOCALE", "NLU_BACKEND", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite+aiosqlite:///youthbot.db"
    assert settings.default_locale == "sq"
    assert settings.nlu_backend == "embedded"
    assert settings.telegram_bot_token is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)


def test_secrets_never_show_in_a_repr(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET-token")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "twilio-secret")
    monkeypatch.setenv("TELEGRAM_STAFF_USER_IDS", "1, 2,3")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    shown = repr(settings) + str(settings.model_dump())
    assert "SECRET-token" not in shown and "twilio-secret" not in shown
    assert settings.staff_user_ids == frozenset({1, 2, 3})


@pytest.mark.parametrize("given", [
    "postgresql://bot:pw@db:5432/youthbot", "postgres://bot:pw@db:5432/youthbot",
    "postgresql+psycopg2://bot:pw@db:5432/youthbot", "postgresql+asyncpg://bot:pw@db:5432/youthbot",
])
def test_postgresql_urls_get_the_async_driver(given: str) -> None:
    settings = load_settings(_env_file=None, database_url=given)
    assert settings.database_url == "postgresql+asyncpg://bot:pw@db:5432/youthbot"
    assert not settings.is_sqlite


def test_sqlite_urls_get_the_async_driver() -> None:
    settings = load_settings(_env_file=None, database_url="sqlite:///data/youthbot.db")
    assert settings.database_url == "sqlite+aiosqlite:///data/youthbot.db" and settings.is_sqlite


def test_a_secret_in_a_library_message_is_hidden_in_the_log_line() -> None:
    """The last guard: whatever logs a secret of the settings (an exception's message, a URL
    with the token), the line shows ``[secret]``."""
    token, salt = "987654:only-in-this-test", "a-salt-only-in-this-test"
    settings = load_settings(_env_file=None, telegram_bot_token=token, log_salt=salt)
    assert sorted(settings.secrets()) == sorted([token, salt])
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    try:
        logs.setup("INFO", stream, secrets=settings.secrets())
        log = logging.getLogger("some.library")
        log.info("The token `%s` was rejected by the server.", token)
        log.info("HTTP Request: POST https://api.telegram.org/bot123:other-token/getMe")
        try:
            raise RuntimeError(f"salt {salt!r}")
        except RuntimeError:
            log.exception("failed")
    finally:
        root.handlers[:], root.level = saved
    written = stream.getvalue()
    assert token not in written and salt not in written and "other-token" not in written
    assert written.count("[secret]") == 3
