"""``youthbot doctor``: the installation's checklist; exit 0 only when nothing fails."""

import asyncio

import typer

from bot import logs
from bot.doctor import diagnose

doctor_app = typer.Typer()


@doctor_app.command()
def doctor() -> None:
    """Check settings, database and schema, Telegram, WhatsApp and the staff group; print
    what to fix. Exit 0 only when all is well."""
    logs.setup("ERROR")  # the checklist is the output; drivers' warnings would only clutter it
    checks = asyncio.run(diagnose())
    for check in checks:
        typer.echo(check.line())
    problems = sum(check.state == "fail" for check in checks)
    typer.echo(f"{problems} problem(s) to fix" if problems else "all is well")
    raise typer.Exit(1 if problems else 0)
