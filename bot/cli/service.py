"""The service and the terminal: ``youthbot chat``, ``run``, ``db upgrade``, ``content check``,
``content stale``."""

import asyncio
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from bot import bootstrap, logs, roles, startup
from bot.cli.common import run_async
from bot.config import LOCALES, load_settings
from bot.roles import Role
from bot.storage import migrate
from bot.storage.database import create_engine

app = typer.Typer()  # the commands at the top level: registered on the main app
db_app = typer.Typer(no_args_is_help=True)
content_app = typer.Typer(no_args_is_help=True)


@app.command()
def chat(
    user: Annotated[str, typer.Option(help="Who you are; the same id continues a conversation.")]
    = "console",
    lang: Annotated[str | None, typer.Option(help="Language: sq or en.")] = None,
    log_level: Annotated[str, typer.Option(help="Log level on stderr.")] = "WARNING",
) -> None:
    """Talk to the bot in the terminal (one line is one message; piped input works too)."""
    from bot.channels.console import ConsoleChannel

    if lang is not None and lang not in LOCALES:
        raise typer.BadParameter(f"choose one of {', '.join(LOCALES)}", param_hint="--lang")
    settings = load_settings()
    logs.setup(log_level, secrets=settings.secrets())
    startup.require_consistent(settings)

    async def main() -> None:
        container = await bootstrap.build(settings, require_head=True)
        try:
            await bootstrap.seed_staff(container)
            console = ConsoleChannel(
                container.engine, container.unit_of_work, user, lang, sys.stdin, sys.stdout
            )
            await console.run(container.translators[lang or settings.default_locale])
        finally:
            await container.close()

    run_async(main)


@app.command()
def run(
    role: Annotated[Role, typer.Option(help="What this process does: all (everything, one "
                                       "process), web, sender or scheduler (README).")]
    = Role.ALL,
) -> None:
    """The service: HTTP app (webhooks, health), Telegram polling or webhook, outbox senders,
    periodic jobs; or one of those roles, for several processes on one PostgreSQL."""
    import uvicorn

    settings = load_settings()
    logs.setup(settings.log_level, secrets=settings.secrets())
    startup.require_consistent(settings)
    roles.check(settings, role)

    async def main() -> None:
        app = await roles.build_app(settings, role)
        config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None,
                                http="httptools")
        await uvicorn.Server(config).serve()

    run_async(main, loop_factory=_fast_loop())


def _fast_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it exists (not on Windows): less CPU a message (README,
    "Throughput, measured"); else asyncio's own."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations up to the newest."""
    settings = load_settings()
    logs.setup(settings.log_level, secrets=settings.secrets())

    async def main() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    run_async(main)
    typer.echo("database at head")


@content_app.command("check")
def content_check() -> None:
    """Validate content/ for every locale and the interface catalogs; exit 1 on any problem.

    Pages past their review date are printed as warnings and do not change the exit code.
    """
    from bot.content_check import problems, stale

    settings = load_settings()
    found = problems(settings.content_dir, bootstrap.text_limits())
    for problem in found:
        typer.echo(problem, err=True)
    for line in stale(settings.content_dir):
        typer.echo(f"warning: {line}", err=True)
    if found:
        raise typer.Exit(1)
    typer.echo(f"content ok: {', '.join(LOCALES)}")


@content_app.command("stale")
def content_stale() -> None:
    """List the pages whose facts are past their review date (review_by), oldest first."""
    from bot.content_check import stale

    settings = load_settings()
    lines = stale(settings.content_dir)
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo("no page is past its review date")
