"""``youthbot retention run``: what the scheduler does periodically, once, now."""

from datetime import UTC, datetime

import typer

from bot import bootstrap, logs
from bot.cli.common import run_async
from bot.config import load_settings

retention_app = typer.Typer(no_args_is_help=True)


@retention_app.command("run")
def retention_run() -> None:
    """Delete message texts, processed delivery ids and delivered replies' texts older than
    RETENTION_DAYS; print how many of each."""
    from bot.retention import run_retention

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> None:
        async with bootstrap.storage(settings) as unit_of_work:
            counts = await run_retention(unit_of_work, datetime.now(UTC),
                                         settings.retention_days)
        typer.echo(f"older than {settings.retention_days} days:")
        typer.echo(f"messages deleted        {counts.messages}")
        typer.echo(f"delivery ids deleted    {counts.deliveries}")
        typer.echo(f"reply texts emptied     {counts.outbox_texts}")
        typer.echo(f"erased people's rows    {counts.erased_rows}")
        typer.echo(f"web sessions ended      {counts.sessions}")

    run_async(main)
