from bot.config import Settings


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
