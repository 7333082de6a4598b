"""The ``youthbot`` commands. Logging and settings are set up here and nowhere else."""

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from bot import bootstrap, logs
from bot.config import LOCALES, Settings
from bot.content import ContentError
from bot.storage import migrate
from bot.storage.database import create_engine

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(no_args_is_help=True)
content_app = typer.Typer(no_args_is_help=True)
app.add_typer(db_app, name="db", help="The database schema.")
app.add_typer(content_app, name="content", help="The content in content/.")


def _run(make: Callable[[], Awaitable[T]]) -> T:
    """Run a command's coroutine; broken content stops it with the list of problems, not a trace."""
    try:
        return asyncio.run(make())
    except ContentError as error:
        for problem in error.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1) from None


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
    logs.setup(log_level)
    settings = Settings()

    async def main() -> None:
        container = await bootstrap.build(settings)
        try:
            console = ConsoleChannel(
                container.engine, container.unit_of_work, user, lang, sys.stdin, sys.stdout
            )
            await console.run(container.translators[lang or settings.default_locale])
        finally:
            await container.close()

    _run(main)


@app.command()
def run() -> None:
    """The service: HTTP app (webhooks, health) and the channel workers."""
    import uvicorn

    from bot.channels.web import create_app

    settings = Settings()
    logs.setup(settings.log_level)

    async def main() -> None:
        container = await bootstrap.build(settings)
        try:
            config = uvicorn.Config(
                create_app(container), host=settings.host, port=settings.port, log_config=None
            )
            await uvicorn.Server(config).serve()
        finally:
            await container.close()

    _run(main)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations up to the newest."""
    settings = Settings()
    logs.setup(settings.log_level)

    async def main() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    _run(main)
    typer.echo("database at head")


@content_app.command("check")
def content_check() -> None:
    """Validate content/ for every locale and the interface catalogs; exit 1 on any problem."""
    from bot.content_check import problems

    settings = Settings()
    found = problems(settings.content_dir)
    for problem in found:
        typer.echo(problem, err=True)
    if found:
        raise typer.Exit(1)
    typer.echo(f"content ok: {', '.join(LOCALES)}")

