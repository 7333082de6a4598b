"""``youthbot doctor``: is this installation ready? Each check says what is wrong and how to fix
it, without ever showing a secret (tokens, passwords and salts are named, never printed).

The checks talk to the real services (the database, Telegram's Bot API, Twilio's REST API) at
the addresses the settings give, so tests point them at the fakes.
"""

from collections.abc import Callable

from pydantic import ValidationError

from bot.config import Settings
from bot.doctor.checks import Check, check_failed, check_off, check_passed
from bot.doctor.database import database_checks
from bot.doctor.telegram import telegram_checks
from bot.doctor.whatsapp import whatsapp_checks

__all__ = ["Check", "diagnose"]


async def diagnose(load: Callable[[], Settings] = Settings) -> list[Check]:
    """Every check, in the order an operator fixes things: settings, database, channels."""
    try:
        settings = load()
    except ValidationError as error:
        return [check_failed(f"setting {'.'.join(str(part) for part in problem['loc']).upper()}",
                       problem["msg"], "fix it in the environment or the .env file")
                for problem in error.errors()]
    checks = [check_passed("settings", "read"), *salt_checks(settings)]
    checks += await database_checks(settings)
    checks += await telegram_checks(settings)
    checks += await whatsapp_checks(settings)
    return checks


def salt_checks(settings: Settings) -> list[Check]:
    """The log salt must be a secret of this installation once it is more than a trial."""
    salt = settings.log_salt.get_secret_value() if settings.log_salt else ""
    public = Settings.model_fields["log_salt"].default
    default = public.get_secret_value() if public else ""
    if salt and salt != default:
        return [check_passed("LOG_SALT", "set")]
    if settings.is_sqlite:
        return [check_off("LOG_SALT", "the public default (fine for a trial on SQLite)")]
    return [check_failed("LOG_SALT", "not set: hashed phone numbers in the logs could be guessed",
                   "set LOG_SALT to a secret of its own: openssl rand -hex 32")]
