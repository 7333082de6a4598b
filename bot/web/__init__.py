"""The staff console: a server-rendered web app under ``/staff/`` in the same service.

Caseworkers, supervisors, partners' workers and viewers sign in with their e-mail and password
(:mod:`.signin`), and see the queue and each referral's case page (:mod:`.console`), whose
forms go through the same staff actions as the Telegram group (``bot.staff.actions``), so
what is done here shows up there and the other way round. Jinja templates and one stylesheet
beside this module, every word from the catalogs (``console.*``); one small script refreshes
the queue (the pages work without it). Off (its
routes absent) without ``WEB_SECRET_KEY``, which signs its session cookie (:mod:`.sessions`).
"""

from collections.abc import Callable
from datetime import datetime

from starlette.routing import BaseRoute

from bot.config import Settings
from bot.i18n import Translator
from bot.staff.actions import StaffActions
from bot.storage.models import utcnow
from bot.storage.unit_of_work import UnitOfWork
from bot.web.console import POLL, PREFIX, Console

__all__ = ["PREFIX", "Console", "build", "routes"]


def build(
    settings: Settings, actions: StaffActions, unit_of_work: Callable[[], UnitOfWork],
    translators: dict[str, Translator], clock: Callable[[], datetime] = utcnow,
    poll_seconds: float = POLL,
) -> Console | None:
    """The console, when ``WEB_SECRET_KEY`` is set."""
    if settings.web_secret_key is None:
        return None
    return Console(settings.web_secret_key.get_secret_value(), actions, unit_of_work,
                   translators, settings.default_locale, clock, poll_seconds,
                   secure_cookies=(settings.public_base_url or "").startswith("https://"),
                   retention_days=settings.retention_days,
                   content_dir=settings.content_dir)


def routes(console: Console | None) -> list[BaseRoute]:
    return console.routes() if console is not None else []
