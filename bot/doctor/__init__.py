"""``youthbot doctor``: is this installation ready? Each check says what is wrong and how to fix
it, without ever showing a secret (tokens, passwords and salts are named, never printed).

The checks talk to the real services (the database, Telegram's Bot API, Twilio's REST API) at
the addresses the settings give, so tests point them at the fakes.
"""

from collections.abc import Callable

from bot.config import Settings
from bot.doctor.checks import Check, check_failed, check_fix, check_passed
from bot.doctor.database import database_checks
from bot.doctor.telegram import telegram_checks
from bot.doctor.whatsapp import whatsapp_checks
from bot.settings_check import from_environment

__all__ = ["Check", "diagnose"]

async def diagnose(
    read: Callable[[], tuple[Settings | None, list[str]]] = from_environment,
) -> list[Check]:
    """Every check, in the order an operator fixes things: settings, database, channels.

    The settings' problems are those ``youthbot run`` refuses to start on
    (:mod:`bot.settings_check`), one check each; values of the wrong shape stop the list there.
    """
    settings, problems = read()
    checks = [check_failed(line.split(":", 1)[0], line.split(":", 1)[-1].strip(),
                           check_fix("in the environment or the .env file"))
              for line in problems]
    if settings is None:
        return checks
    checks = checks or [check_passed("settings", "read; none contradicts another")]
    checks += await database_checks(settings)
    checks += await telegram_checks(settings)
    checks += await whatsapp_checks(settings)
    return checks
