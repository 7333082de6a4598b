"""What ``youthbot run`` (and ``chat``) check before serving, and the lines they log.

Each check raises :class:`~bot.config.SettingsError` (one line a problem, exit 78), or
:class:`~bot.config.Unavailable` when the database does not answer (exit 69), so a process that
cannot work refuses to start instead of failing every turn.
"""

import logging
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncEngine

from bot import settings_check
from bot.config import Settings, SettingsError, Unavailable
from bot.storage import migrate

log = logging.getLogger("youthbot.startup")


def require_consistent(settings: Settings) -> None:
    """Settings that contradict each other (see :mod:`bot.settings_check`) stop the start."""
    found = settings_check.problems(settings)
    if found:
        raise SettingsError(found)


async def require_schema_at_head(database: AsyncEngine) -> None:
    """A schema behind the code fails every turn: refuse, and say to run ``db upgrade``.
    (The embedded SQLite database is migrated before this; PostgreSQL never is.)"""
    problem = await migrate.schema_problem(database)
    if problem is None:
        return
    if not problem.answers:
        raise Unavailable([f"DATABASE_URL: {problem.reason}; is it running, and is the address "
                           "right?"])
    raise SettingsError([f"DATABASE_URL: {problem.reason}"])


def log_channels(states: Mapping[str, str]) -> None:
    """One line a channel: on (polling / webhook), or off and why."""
    for name, state in states.items():
        log.info(f"{name} {state}", extra={"fields": {"channel": name, "state": state}})
