"""What ``youthbot doctor`` asks of the settings check: every problem, without exiting."""

import pytest

from bot.settings_check import from_environment

WHATSAPP = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "x" * 32,
            "TWILIO_WHATSAPP_NUMBER": "whatsapp:+14155238886",
            "PUBLIC_BASE_URL": "https://bot.example.org"}


@pytest.fixture(autouse=True)
def _no_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*WHATSAPP, "LOG_SALT", "DATABASE_URL", "PORT", "TELEGRAM_STAFF_CHAT_ID",
                 "WEB_SECRET_KEY", "WEBCHAT_ALLOWED_ORIGINS"):
        monkeypatch.delenv(name, raising=False)


def test_no_settings_is_the_embedded_default_with_no_problem() -> None:
    settings, found = from_environment(_env_file=None)
    assert settings is not None and found == []


def test_a_complete_production_set_has_no_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in WHATSAPP.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db/youthbot")
    monkeypatch.setenv("LOG_SALT", "0123456789abcdef0123")
    assert from_environment(_env_file=None)[1] == []


def test_every_problem_is_listed_not_only_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_STAFF_CHAT_ID", "-100123")
    monkeypatch.setenv("DATABASE_URL", "postgres://bot@db/youthbot")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", WHATSAPP["TWILIO_ACCOUNT_SID"])
    settings, found = from_environment(_env_file=None)
    assert settings is not None
    assert [line.split(":")[0] for line in found] == [
        "TELEGRAM_STAFF_CHAT_ID",
        "TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER, PUBLIC_BASE_URL",
        "LOG_SALT"]


def test_values_of_the_wrong_shape_come_without_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORT", "eighty")
    monkeypatch.setenv("TELEGRAM_STAFF_CHAT_ID", "the staff group")
    settings, found = from_environment(_env_file=None)
    assert settings is None
    assert [line.split(":")[0] for line in found] == ["TELEGRAM_STAFF_CHAT_ID", "PORT"]


def test_a_variable_set_to_nothing_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a copied ``.env.example`` with blanks: no half-configured channel, no bad int."""
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_STAFF_CHAT_ID", *WHATSAPP):
        monkeypatch.setenv(name, "")
    settings, found = from_environment(_env_file=None)
    assert settings is not None and found == []
    assert settings.telegram_bot_token is None and not settings.whatsapp_enabled


def test_web_chat_origins_without_its_key_and_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "https://campaign.example.org")
    [problem] = from_environment(_env_file=None)[1]
    assert problem.startswith("WEB_SECRET_KEY: not set, but WEBCHAT_ALLOWED_ORIGINS is")
    monkeypatch.setenv("WEB_SECRET_KEY", "short")
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "campaign.example.org/page")
    settings, found = from_environment(_env_file=None)
    assert settings is None
    assert "WEB_SECRET_KEY: the value must be at least 16 characters" in found[0]
    assert "short" not in " ".join(found)  # a secret's value is never repeated
    assert found[1].startswith("WEBCHAT_ALLOWED_ORIGINS: 'campaign.example.org/page' is not an")
