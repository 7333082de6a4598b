"""``youthbot report``: a period's reach, campaign funnels, referrals and staff timings, for
project managers: a published workbook (``.xlsx``) or CSV with small counts hidden, or the raw
figures as JSON."""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot import bootstrap, logs
from bot.cli.common import run_async
from bot.config import LOCALES, Settings, load_settings

if TYPE_CHECKING:
    from bot.i18n import Translator
    from reports.period import Period

report_app = typer.Typer()
DAY = ["%Y-%m-%d"]
FORMATS = (".xlsx", ".csv", ".json")
"""What ``--out`` may end with; ``.xlsx`` and ``.csv`` are published (small counts hidden),
``.json`` is raw, for the programme's own use."""


@report_app.command("report")
def report(
    start: Annotated[datetime | None, typer.Option(
        "--from", formats=DAY, help="First day (UTC) to include, YYYY-MM-DD.")] = None,
    end: Annotated[datetime | None, typer.Option(
        "--to", formats=DAY, help="Last day (UTC) to include, YYYY-MM-DD.")] = None,
    out: Annotated[Path | None, typer.Option(
        help="File to write: .xlsx or .csv (published: counts under 5 hidden), .json (raw "
             "counts); default: raw JSON on stdout.")] = None,
    lang: Annotated[str | None, typer.Option(
        help="Language of the headings of .xlsx/.csv: sq or en (default: DEFAULT_LOCALE).")]
    = None,
) -> None:
    """Campaign funnels, new users, referrals by status/outcome/topic/priority/municipality/age/
    gender/partner, time to claim and to first answer, and counts per opportunity. The .xlsx
    and .csv hide every count under 5 (and totals that would give one away); JSON is raw."""
    from reports.period import Period

    try:
        period = Period(start.date() if start else None, end.date() if end else None)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--to") from None
    kind = ".json" if out is None else out.suffix.lower()
    # a usage error is one line on stderr and exit code 2 (as click's own), no traceback
    if kind not in FORMATS:
        typer.echo(f"Error: --out {out}: the file must end with {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    if lang is not None and lang not in LOCALES:
        typer.echo(f"Error: --lang {lang}: one of {', '.join(LOCALES)}", err=True)
        raise typer.Exit(2)
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())
    now = datetime.now(UTC)
    log_kept_from = now - timedelta(days=settings.retention_days)

    if kind == ".json":
        text = json.dumps(run_async(lambda: _raw(settings, period, now, log_kept_from)),
                          ensure_ascii=False, indent=2)
        if out is None:
            typer.echo(text)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    else:
        assert out is not None
        _write_published(settings, period, now, log_kept_from, out, lang or
                         settings.default_locale)
    typer.echo(f"report for {period} written to {out}")


async def _raw(settings: Settings, period: "Period", now: datetime,
               log_kept_from: datetime) -> dict[str, object]:
    from reports.summary import summary

    async with bootstrap.reading(settings) as session:
        return (await summary(session, period, now, log_kept_from)).as_json()


def _write_published(settings: Settings, period: "Period", now: datetime,
                     log_kept_from: datetime, out: Path, locale: str) -> None:
    from bot.i18n import load_translator
    from reports.files import write_csv, write_xlsx
    from reports.opportunity_counts import per_opportunity
    from reports.published import PublishedReport, published
    from reports.summary import summary

    t = load_translator(locale)
    labeled = staff_labels(t)
    async def main() -> PublishedReport:
        async with bootstrap.reading(settings) as session:
            figures = await summary(session, period, now, log_kept_from)
            return published(figures, await per_opportunity(session, period), t, labeled)

    made = run_async(main)
    if out.suffix.lower() == ".xlsx":
        write_xlsx(made, t, out)
    else:
        write_csv(made, t, out)


def staff_labels(t: "Translator") -> "Callable[[str, str], str]":
    """The labels staff know codes by (``bot.staff.labels``); a code of a kind with no labels
    (a language, a partner's name) as it is."""
    from bot.staff.labels import LABELS, label

    def labeled(kind: str, code: str) -> str:
        return label(t, kind, code) if kind in LABELS else code

    return labeled
