"""Settings from the environment (or a ``.env`` file), with the defaults of DESIGN.md.

Commands read them with :func:`load_settings`: a value of the wrong shape is a
:class:`SettingsError` whose problems are one line each (the variable, what is wrong, an example),
which the ``youthbot`` program prints before it exits with 78 (EX_CONFIG). Settings that are each
well-formed but contradict each other are :mod:`bot.settings_check`'s.
"""

import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import pydantic_settings
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.paths import CONTENT_DIR
from bot.settings_errors import describe, describe_undecodable

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


PUBLIC_LOG_SALT = "youthbot"
MIN_WEB_SECRET = 16
PARTNER_MAX = 120
"""The longest partner organisation's name a referral keeps."""
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?/?")
ASYNC_DRIVERS = {
    "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg", "postgresql+psycopg": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}
"""URL schemes given the async driver (the synchronous ones are not installed)."""


class SettingsError(Exception):
    """Settings this program cannot run with; each problem is one line for the operator.
    The program exits with ``exit_code``: 78 (EX_CONFIG), which a supervisor should not
    restart on (systemd's ``RestartPreventExitStatus=78``): it fails the same way again."""

    exit_code = 78

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class Unavailable(SettingsError):
    """Something the settings name does not answer (the database is down): one line too, but
    exit 69 (EX_UNAVAILABLE), so a supervisor restarts and it may work next time."""

    exit_code = 69


class Settings(BaseSettings):
    """Everything configurable. Secrets are ``SecretStr`` so they never show up in a repr or log."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)
    """A variable set to nothing (``TELEGRAM_BOT_TOKEN=`` in a copied ``.env.example``) is
    unset: its default applies."""

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
    telegram_max_rate: float = Field(30.0, gt=0)
    """Messages a second to Telegram overall (its limit for messages to different users)."""
    telegram_staff_chat_id: int | None = None
    """The staff group: new referrals appear there, staff claim and answer them there."""
    telegram_staff_user_ids: str = ""
    """Comma-separated Telegram user ids of the staff: only they may act in the staff group."""
    referral_min_age: int = 16
    """Younger people get the content and a note, not a referral: under 16, consent needs a
    parent or guardian (content-facts-2.md §9), so nothing personal is collected."""
    referral_partners: str = ""
    """Topics a partner organisation takes, ``topic=Organisation`` separated by ``;`` (e.g.
    ``trainings=Qendra X;jobs=Zyra Y``): such a referral is routed to that organisation, and the
    consent question names it, so its workers see the young person's contact and words."""
    profile_question: bool = True
    """Ask each young person once, after a first helpful answer, the optional and anonymous
    profile question (municipality, age band, gender; bands only) for the programme's
    statistics (:mod:`bot.handlers.profile`)."""

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
    port: int = Field(8080, ge=0, le=65535)

    web_secret_key: SecretStr | None = None
    """Signs web-chat session ids (and the staff console's sessions); the web chat is off
    without it."""
    webchat_allowed_origins: str = ""
    """Comma-separated origins (``https://campaign.example.org``) whose pages may embed the web
    chat and call its API from the browser; none: only the service's own pages."""

    retention_days: int = Field(default=180, ge=1)
    """Message texts, processed delivery ids and delivered replies' texts older than this many
    days are deleted (``bot.retention``); referrals' audit trail and counts stay."""

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_salt: SecretStr = SecretStr(PUBLIC_LOG_SALT)
    """Mixed into the user hash in logs so a log line cannot be joined back to a phone number.
    The default is public: it is allowed only on the embedded SQLite database."""
    nlu_train_on_start: bool = True
    """Train the embedded model at start when none matches the data; when false, a process
    without one refuses to start (train it with ``youthbot nlu train`` first)."""

    @field_validator("database_url", mode="before")
    @classmethod
    def _async_driver(cls, value: Any) -> Any:
        """``postgresql://`` (or ``postgres://``, ``postgresql+psycopg2://``) and ``sqlite://``
        get the async driver this program uses, asyncpg or aiosqlite."""
        if isinstance(value, str):
            scheme, sep, rest = value.partition("://")
            driver = ASYNC_DRIVERS.get(scheme.lower())
            if sep and driver:
                return f"{driver}://{rest}"
        return value

    @field_validator("telegram_staff_user_ids")
    @classmethod
    def _whole_numbers(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip() and not re.fullmatch(r"-?\d+", part.strip()):
                raise ValueError(f"{part.strip()!r} is not a numeric Telegram user id")
        return value

    @field_validator("referral_partners")
    @classmethod
    def _topic_partners(cls, value: str) -> str:
        for part in value.split(";"):
            topic, sep, organisation = part.partition("=")
            if part.strip() and not (sep and re.fullmatch(r"[a-z_]+", topic.strip())
                                     and 0 < len(organisation.strip()) <= PARTNER_MAX):
                raise ValueError(f"{part.strip()!r} is not topic=Organisation")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_token(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram's rule for ``secret_token``: 1-256 characters of A-Z a-z 0-9 _ -."""
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}",
                                                  value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @field_validator("web_secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_WEB_SECRET:
            raise ValueError(f"must be at least {MIN_WEB_SECRET} characters")
        return value

    @field_validator("webchat_allowed_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip() and not ORIGIN.fullmatch(part.strip()):
                raise ValueError(f"{part.strip()!r} is not an origin (scheme://host[:port])")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @cached_property
    def partners_by_topic(self) -> dict[str, str]:
        """``REFERRAL_PARTNERS`` read: the partner organisation of each topic that has one."""
        pairs = (part.partition("=") for part in self.referral_partners.split(";"))
        return {topic.strip(): organisation.strip() for topic, _, organisation in pairs
                if topic.strip()}

    @cached_property
    def staff_user_ids(self) -> frozenset[int]:
        return frozenset(int(x) for x in self.telegram_staff_user_ids.split(",") if x.strip())

    def secrets(self) -> list[str]:
        """The secret values set (tokens, auth tokens, salts, keys), for logs to hide; the
        public default salt is no secret."""
        values = (getattr(self, name) for name in type(self).model_fields)
        return [value.get_secret_value() for value in values if isinstance(value, SecretStr)
                and value.get_secret_value() not in ("", PUBLIC_LOG_SALT)]

    @cached_property
    def allowed_origins(self) -> tuple[str, ...]:
        return tuple(part.strip().rstrip("/") for part in self.webchat_allowed_origins.split(",")
                     if part.strip())

    @property
    def whatsapp_enabled(self) -> bool:
        """All four are needed: the account, its token, our number and our public address."""
        return bool(self.twilio_account_sid and self.twilio_auth_token
                    and self.twilio_whatsapp_number and self.public_base_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**values: Any) -> Settings:
    """The settings from the environment (and ``.env``), or a :class:`SettingsError` saying, one
    line a variable, what is wrong with them."""
    try:
        return Settings(**values)
    except ValidationError as error:
        raise SettingsError(describe(error)) from None
    except pydantic_settings.SettingsError as error:  # a JSON setting that is not JSON
        raise SettingsError(describe_undecodable(error)) from None
