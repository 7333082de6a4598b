"""Settings that are each well-formed but contradict each other, or are unsafe together.

:func:`problems` returns one line a problem and never exits: ``youthbot run`` and ``chat``
refuse to start on any (exit 78), ``youthbot doctor`` lists them. It reads nothing but the
settings (no network, no database), so it is cheap to call anywhere.
"""

from typing import Any
from urllib.parse import urlsplit

from bot.config import PUBLIC_LOG_SALT, Settings, SettingsError, load_settings

WHATSAPP = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_NUMBER", "PUBLIC_BASE_URL")
"""WhatsApp needs all four; any of the first three set means WhatsApp was meant to be on."""
MIN_SALT = 16
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Plain http is allowed to these only (tests, the fakes, a proxy on the same machine)."""


def from_environment(**values: Any) -> tuple[Settings | None, list[str]]:
    """The settings and every problem with them, without exiting (``youthbot doctor``): values
    of the wrong shape (then no settings), else the contradictions."""
    try:
        settings = load_settings(**values)
    except SettingsError as error:
        return None, error.problems
    return settings, problems(settings)


def problems(settings: Settings) -> list[str]:
    """Every contradiction in ``settings``, one line each: the variable, what is wrong, a fix."""
    found = _telegram(settings) + _whatsapp(settings) + _salt(settings) + _webchat(settings)
    if settings.nlu_backend == "rasa" and not settings.rasa_url:
        found.append("RASA_URL: not set, but NLU_BACKEND=rasa needs the Rasa server's address; "
                     "e.g. RASA_URL=http://127.0.0.1:5005")
    return found


def _telegram(settings: Settings) -> list[str]:
    found = []
    token = settings.telegram_bot_token is not None
    url, secret = settings.telegram_webhook_url, settings.telegram_webhook_secret
    if settings.telegram_staff_chat_id is not None and not token:
        found.append("TELEGRAM_STAFF_CHAT_ID: set, but TELEGRAM_BOT_TOKEN is not (referrals "
                     "would wait for a staff group nobody sees); set TELEGRAM_BOT_TOKEN too, "
                     "e.g. TELEGRAM_BOT_TOKEN=123456789:AAE..., or unset TELEGRAM_STAFF_CHAT_ID")
    if url and not token:
        found.append("TELEGRAM_WEBHOOK_URL: set, but TELEGRAM_BOT_TOKEN is not; set "
                     "TELEGRAM_BOT_TOKEN too, or unset TELEGRAM_WEBHOOK_URL")
    if url and secret is None:
        found.append("TELEGRAM_WEBHOOK_SECRET: not set, but TELEGRAM_WEBHOOK_URL is (the webhook "
                     "would accept anyone's updates); e.g. "
                     "TELEGRAM_WEBHOOK_SECRET=$(openssl rand -hex 32)")
    if secret is not None and not url:
        found.append("TELEGRAM_WEBHOOK_URL: not set, but TELEGRAM_WEBHOOK_SECRET is (webhook "
                     "mode needs both; without them the bot long-polls); e.g. "
                     "TELEGRAM_WEBHOOK_URL=https://bot.example.org/webhooks/telegram")
    if url:
        found += _https("TELEGRAM_WEBHOOK_URL", url, "https://bot.example.org/webhooks/telegram")
    return found


def _whatsapp(settings: Settings) -> list[str]:
    values = dict(zip(WHATSAPP, (settings.twilio_account_sid, settings.twilio_auth_token,
                                 settings.twilio_whatsapp_number, settings.public_base_url),
                      strict=True))
    found = []
    if any(values[name] for name in WHATSAPP[:3]):
        missing = [name for name in WHATSAPP if not values[name]]
        if missing:
            given = [name for name in WHATSAPP if values[name]]
            found.append(f"{', '.join(missing)}: not set, but WhatsApp needs "
                         f"{'them' if len(missing) > 1 else 'it'} with {', '.join(given)}; "
                         "set all four, or unset the others to keep WhatsApp off")
    number = settings.twilio_whatsapp_number
    if number and not number.startswith("whatsapp:+"):
        found.append(f"TWILIO_WHATSAPP_NUMBER: {number!r} is not a WhatsApp sender; "
                     "e.g. TWILIO_WHATSAPP_NUMBER=whatsapp:+14155238886")
    if settings.public_base_url:
        found += _https("PUBLIC_BASE_URL", settings.public_base_url, "https://bot.example.org")
    return found


def _webchat(settings: Settings) -> list[str]:
    if settings.allowed_origins and settings.web_secret_key is None:
        return ["WEB_SECRET_KEY: not set, but WEBCHAT_ALLOWED_ORIGINS is (the web chat is off "
                "without it, so the sites listed would show a chat that cannot connect); e.g. "
                "WEB_SECRET_KEY=$(openssl rand -hex 32), or unset WEBCHAT_ALLOWED_ORIGINS"]
    return []


def _salt(settings: Settings) -> list[str]:
    if settings.is_sqlite:
        return []
    salt = settings.log_salt.get_secret_value()
    if salt == PUBLIC_LOG_SALT or len(salt) < MIN_SALT:
        return [f"LOG_SALT: {'not set' if salt == PUBLIC_LOG_SALT else 'too short'}; outside "
                f"the embedded SQLite database it must be a secret of at least {MIN_SALT} "
                "characters (hashed phone numbers in the logs could be reversed otherwise); "
                "e.g. LOG_SALT=$(openssl rand -hex 32)"]
    return []


def _https(name: str, url: str, example: str) -> list[str]:
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if (parts.scheme == "https" or local) and parts.hostname:
        return []
    return [f"{name}: {url!r} is not an https:// address (plain http only to 127.0.0.1 or "
            f"localhost); e.g. {name}={example}"]
