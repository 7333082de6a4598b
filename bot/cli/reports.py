"""``youthbot report``: a period's reach, referrals and staff timings, for project managers."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot import bootstrap, logs
from bot.cli.common import run_async
from bot.config import load_settings

report_app = typer.Typer()
DAY = ["%Y-%m-%d"]


@report_app.command("report")
def report(
    start: Annotated[datetime | None, typer.Option(
        "--from", formats=DAY, help="First day (UTC) to include, YYYY-MM-DD.")] = None,
    end: Annotated[datetime | None, typer.Option(
        "--to", formats=DAY, help="Last day (UTC) to include, YYYY-MM-DD.")] = None,
    out: Annotated[Path | None, typer.Option(help="JSON file to write (default: stdout).")]
    = None,
) -> None:
    """Campaign reach, new users, referrals by status/outcome/topic/priority/channel, and time to
    claim and to first answer, as JSON. Counts are raw: suppress small ones before publishing."""
    from reports.period import Period
    from reports.summary import summary

    try:
        period = Period(start.date() if start else None, end.date() if end else None)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--to") from None
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> dict[str, object]:
        async with bootstrap.reading(settings) as session:
            return (await summary(session, period, datetime.now(UTC))).as_json()

    text = json.dumps(run_async(main), ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    typer.echo(f"report for {period} written to {out}")
