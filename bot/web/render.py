"""The console's pages: Jinja templates beside this module, autoescaped, with the member's
language (``t`` for a message key written in the template, where the catalog check finds it;
``tr`` for a key the Python code chose, itself marked with ``N_``), labels for codes, dates and
ages the CLDR way."""

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.i18n import N_, Translator
from bot.staff.labels import label

HERE = Path(__file__).parent
STATIC = HERE / "static"
LOCAL = ZoneInfo("Europe/Tirane")
EVENTS = {
    "created": N_("console.event.created"), "claimed": N_("console.event.claimed"),
    "unclaimed": N_("console.event.unclaimed"), "reassigned": N_("console.event.reassigned"),
    "contacted": N_("console.event.contacted"), "answered": N_("console.event.answered"),
    "noted": N_("console.event.noted"), "closed": N_("console.event.closed"),
    "withdrawn": N_("console.event.withdrawn"), "erased": N_("console.event.erased"),
    "realerted": N_("console.event.realerted"), "reminded": N_("console.event.reminded"),
}
"""Each kind of audit line, as staff read it."""


class Pages:
    def __init__(self) -> None:
        self._env = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def render(self, name: str, t: Translator, now: datetime, **values: Any) -> str:
        def labelled(kind: str, code: str | None) -> str:
            return label(t, kind, code)

        def event(kind: str) -> str:
            key = EVENTS.get(kind)
            return t(key) if key is not None else kind

        def age(at: datetime) -> str:
            return format_timedelta(now - at, granularity="minute", format="short",
                                    locale=t.locale)

        def when(at: datetime) -> str:
            return format_datetime(at, format="short", tzinfo=LOCAL, locale=t.locale)

        return self._env.get_template(name).render(
            t=t, tr=t, label=labelled, event=event, age=age, when=when, lang=t.locale, **values)
