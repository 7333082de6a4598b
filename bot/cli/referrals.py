"""``youthbot referrals`` and ``outbox``: the queue and the replies that got stuck, for admins."""

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bot import logs
from bot.cli.common import echo_table, read
from bot.config import load_settings

referrals_app = typer.Typer(no_args_is_help=True)
outbox_app = typer.Typer(no_args_is_help=True)


@outbox_app.command("problems")
def outbox_problems(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
) -> None:
    """Replies that wait (WhatsApp's window closed), failed for good, or were reported failed."""
    from reports import rows

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    found = read(settings, lambda session: rows.outbox_problems(session, channel))
    echo_table("{:>6} {:9} {:>6} {:16} {:30} {:11} {}", rows.OUTBOX_COLUMNS, found)


@referrals_app.command("list")
def referrals_list(
    status: Annotated[str | None, typer.Option(help="Only this status (new, claimed, ...).")]
    = None,
) -> None:
    """Referrals, newest first: no personal fields."""
    from referrals.lifecycle import Status
    from reports import rows

    if status is not None and status not in {s.value for s in Status}:
        raise typer.BadParameter(f"one of {', '.join(s.value for s in Status)}",
                                 param_hint="--status")
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    found = read(settings, lambda session: rows.referral_list(session, status))
    echo_table("{:>6} {:16} {:8} {:16} {:10} {}", rows.LIST_COLUMNS, found)


@referrals_app.command("show")
def referrals_show(referral_id: int) -> None:
    """One referral: every field (personal ones too) and its audit trail."""
    from reports import rows

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    lines = read(settings, lambda session: rows.referral_detail(session, referral_id))
    if lines is None:
        typer.echo(f"no referral {referral_id}", err=True)
        raise typer.Exit(1)
    for line in lines:
        typer.echo(line)


@referrals_app.command("export")
def referrals_export(
    since: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"],
                                            help="First day (UTC) to include, YYYY-MM-DD.")],
    out: Annotated[Path | None, typer.Option(help="CSV file to write (default: stdout).")]
    = None,
) -> None:
    """CSV for donor reports (no contact, summary or answers), from a day on."""
    from reports import rows
    from reports.period import Period

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    exported = read(settings, lambda session: rows.export_rows(session, Period(since.date())))
    if out is None:
        rows.write_csv(exported, sys.stdout)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as stream:
        count = rows.write_csv(exported, stream)
    typer.echo(f"{count} referrals written to {out}")
