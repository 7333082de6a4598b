"""Settings from the environment (or a ``.env`` file), with the defaults of DESIGN.md."""

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.paths import CONTENT_DIR

Locale = Literal["sq", "en"]
LOCALES: tuple[Locale, ...] = ("sq", "en")


_ENGLISH = re.compile(r"\b(english|anglisht\w*|eng|inglese)\b")
_ALBANIAN = re.compile(r"\b(shqip\w*|albanian)\b")


def other_locale(locale: str) -> str:
    """The language a switch leads to (there are two)."""
    return LOCALES[1] if locale == LOCALES[0] else LOCALES[0]


def locale_named(folded: str) -> str | None:
    """The language a (folded) message names; None (switch to the other) when none is."""
    if _ENGLISH.search(folded):
        return "en"
    if _ALBANIAN.search(folded):
        return "sq"
    return None


class Settings(BaseSettings):
    """Everything configurable. Secrets are ``SecretStr`` so they never show up in a repr or log."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///youthbot.db"
    default_locale: Locale = "sq"
    content_dir: Path = CONTENT_DIR

    nlu_backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str | None = None
    nlu_model_dir: Path = Path.home() / ".cache" / "youthbot"
    """Where the trained embedded model is kept; it is retrained when the data changes."""

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_bot_username: str | None = None
    """For campaign links (t.me/<username>?start=<code>); the bot's @name without the @."""
    telegram_max_rate: float = 30.0
    """Messages a second to Telegram overall (its limit for messages to different users)."""
    telegram_staff_chat_id: int | None = None
    """The staff group: new referrals appear there, staff claim and answer them there."""
    telegram_staff_user_ids: str = ""
    """Comma-separated Telegram user ids of the staff: only they may act in the staff group."""
    referral_min_age: int = 16
    """Younger people get the content and a note, not a referral: under 16, consent needs a
    parent or guardian (content-facts-2.md §9), so nothing personal is collected."""

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_whatsapp_number: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_waiting_templates: dict[str, str] = {}
    """Per language, the Content SID (HX…) of the approved "an answer is waiting for you"
    template sent when WhatsApp's 24-hour window has closed; JSON, e.g. {"sq": "HX…"}."""
    twilio_alert_templates: dict[str, str] = {}
    """Per language, the Content SID of the approved alert template: outside the window an
    alert (an outbox row of kind ``alert``) goes out in it, its text as variable ``1``, instead
    of waiting for the user to write; JSON, e.g. {"sq": "HX…"}."""

    public_base_url: str | None = None
    """The address the world reaches this service at (https://bot.example.org): Twilio signs
    its webhooks with it, and it is what we give Twilio for status callbacks."""
    host: str = "127.0.0.1"
    port: int = 8080

    retention_days: int = Field(default=180, ge=1)
    """Message texts, processed delivery ids and delivered replies' texts older than this many
    days are deleted (``bot.retention``); referrals' audit trail and counts stay."""

    log_level: str = "INFO"
    log_salt: SecretStr = SecretStr("youthbot")
    """Mixed into the user hash in logs so a log line cannot be joined back to a phone number."""

    @cached_property
    def staff_user_ids(self) -> frozenset[int]:
        return frozenset(int(x) for x in self.telegram_staff_user_ids.split(",") if x.strip())

    @property
    def whatsapp_enabled(self) -> bool:
        """All four are needed: the account, its token, our number and our public address."""
        return bool(self.twilio_account_sid and self.twilio_auth_token
                    and self.twilio_whatsapp_number and self.public_base_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
