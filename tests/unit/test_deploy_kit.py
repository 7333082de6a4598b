"""The deploy kit cannot drift from the code: every setting is in .env.example, the unit does
not loop on a bad setting, and Caddy passes on only the routes the world needs."""

import re
from pathlib import Path

from bot.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROUND_TWO = {  # DESIGN.md's fixed interface, round 2: documented before every helper lands them
    "WEB_SECRET_KEY", "WEBCHAT_ALLOWED_ORIGINS", "TWILIO_ALERT_TEMPLATES", "RETENTION_DAYS",
    "NLU_TRAIN_ON_START", "LOG_SALT",
}


def example_settings() -> dict[str, bool]:
    """Each NAME=… line, on or commented out: whether a comment explains it (one in its
    paragraph, above it)."""
    found = {}
    explained = False
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        match = re.fullmatch(r"#?([A-Z][A-Z0-9_]+)=.*", line)
        if match:
            found[match.group(1)] = explained
        else:
            explained = line.startswith("# ")
    return found


def test_env_example_names_every_setting_with_a_comment() -> None:
    named = example_settings()
    fields = {name.upper() for name in Settings.model_fields} | ROUND_TWO

    assert not fields - named.keys(), f"missing from deploy/.env.example: {fields - named.keys()}"
    uncommented = [name for name in fields if not named[name]]
    assert not uncommented, f"no comment above: {uncommented}"


def test_env_example_holds_no_secret_value() -> None:
    named = (DEPLOY / ".env.example").read_text()

    for secret in ("TELEGRAM_BOT_TOKEN", "TWILIO_AUTH_TOKEN", "LOG_SALT", "WEB_SECRET_KEY",
                   "TELEGRAM_WEBHOOK_SECRET"):
        assert re.search(rf"^#{secret}=$", named, re.MULTILINE), secret


def test_env_example_as_shipped_is_read_without_error() -> None:
    """What is switched on in the example is valid; empty values are commented out (an empty
    TELEGRAM_BOT_TOKEN would be a token, not none)."""
    settings = Settings(_env_file=DEPLOY / ".env.example")  # type: ignore[call-arg]

    assert settings.telegram_bot_token is None and not settings.whatsapp_enabled
    assert settings.telegram_max_rate == 30 and settings.port == 8080


def test_systemd_unit_does_not_restart_on_a_bad_setting() -> None:
    unit = (DEPLOY / "youthbot.service").read_text()

    for line in ("Restart=on-failure", "RestartPreventExitStatus=78",
                 "EnvironmentFile=/etc/youthbot/youthbot.env", "WorkingDirectory=/opt/youthbot",
                 "User=youthbot",
                 # "-": systemd's RestartPreventExitStatus ignores ExecStartPre's status, so a
                 # bad setting must reach `run` (exit 78) instead of failing the start here
                 "ExecStartPre=-/opt/youthbot/venv/bin/youthbot db upgrade"):
        assert line in unit.splitlines(), line


def test_caddy_passes_the_webhooks_and_keeps_readyz_inside() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    public = " ".join(re.findall(r"^\s*path (.+)$", caddyfile, re.MULTILINE)).split()

    assert {"/webhooks/telegram", "/webhooks/whatsapp", "/webhooks/whatsapp/status"} <= set(public)
    assert "/readyz" not in public


def test_caddy_logs_no_request_headers() -> None:
    """Telegram's webhook secret is a request header: an access log would record it, and so
    does Caddy's error log ("the bot does not answer") unless its headers are filtered out."""
    caddyfile = re.sub(r"#.*", "", (DEPLOY / "Caddyfile").read_text())
    global_options, site = caddyfile.split("{$YOUTHBOT_DOMAIN} {")

    assert "log" not in site.split(), "an access log records request headers"
    assert re.search(r"^\s*log \{.*^\s*request>headers delete$", global_options,
                     re.MULTILINE | re.DOTALL), "the error log records request headers"
