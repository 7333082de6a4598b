"""``youthbot referrals`` and ``outbox``: the queue and the replies that got stuck, for admins."""

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot import bootstrap, logs
from bot.cli.common import run_async
from bot.config import Settings

referrals_app = typer.Typer(no_args_is_help=True)
outbox_app = typer.Typer(no_args_is_help=True)


@outbox_app.command("problems")
def outbox_problems(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
) -> None:
    """Replies that wait (WhatsApp's window closed), failed for good, or were reported failed."""
    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[tuple[object, ...]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            return [(m.id, m.channel, m.user_id or "", f"{m.created_at:%Y-%m-%d %H:%M}",
                     m.held_reason or "", m.status or "", m.error_code or m.last_error or "")
                    for m in await uow.outbox.problems(channel)]

    typer.echo(f"{'id':>6} {'channel':9} {'user':>6} {'written':16} {'waiting because':30} "
               f"{'status':11} error")
    for row in run_async(main):
        typer.echo("{:>6} {:9} {:>6} {:16} {:30} {:11} {}".format(*row))


@referrals_app.command("list")
def referrals_list(
    status: Annotated[str | None, typer.Option(help="Only this status (new, claimed, ...).")]
    = None,
) -> None:
    """Referrals, newest first: no personal fields."""
    from referrals.lifecycle import Status
    from referrals.report import LIST_COLUMNS, list_row

    if status is not None and status not in {s.value for s in Status}:
        raise typer.BadParameter(f"one of {', '.join(s.value for s in Status)}",
                                 param_hint="--status")
    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[tuple[str, ...]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            found = await uow.referrals.listing(status)
            members = await uow.staff.by_ids({r.claimed_by_id for r in found if r.claimed_by_id})
            names = {i: m.name for i, m in members.items()}
            return [list_row(r, names) for r in found]

    layout = "{:>6} {:16} {:8} {:16} {:10} {}"
    typer.echo(layout.format(*LIST_COLUMNS))
    for row in run_async(main):
        typer.echo(layout.format(*row))


@referrals_app.command("show")
def referrals_show(referral_id: int) -> None:
    """One referral: every field (personal ones too) and its audit trail."""
    from referrals.report import show_lines

    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[str] | None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            referral = await uow.referrals.get(referral_id)
            if referral is None:
                return None
            events = await uow.referrals.events(referral_id)
            ids = {e.staff_member_id for e in events} | {referral.claimed_by_id}
            members = await uow.staff.by_ids({i for i in ids if i is not None})
            return show_lines(referral, events, {i: m.name for i, m in members.items()})

    lines = run_async(main)
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
    from referrals.report import export_row, write_csv

    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[dict[str, str]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            return [export_row(r)
                    for r in await uow.referrals.created_since(since.replace(tzinfo=UTC))]

    rows = run_async(main)
    if out is None:
        write_csv(rows, sys.stdout)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as stream:
        count = write_csv(rows, stream)
    typer.echo(f"{count} referrals written to {out}")
