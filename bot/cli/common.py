"""What every command shares: running its coroutine, and turning broken content into a list."""

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot import bootstrap
from bot.config import Settings
from bot.content import ContentError

T = TypeVar("T")


def run_async(
    make: Callable[[], Coroutine[Any, Any, T]],
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None,
) -> T:
    """Run a command's coroutine; broken content stops it with the problems, not a trace."""
    try:
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            return runner.run(make())
    except ContentError as error:
        for problem in error.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1) from None


def echo_table(layout: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A header line and one line a row, each laid out by ``layout`` (a format string)."""
    typer.echo(layout.format(*columns))
    for row in rows:
        typer.echo(layout.format(*(str(value) for value in row)))


def read(settings: Settings, query: Callable[[AsyncSession], Coroutine[Any, Any, T]]) -> T:
    """One read-side query (``reports``) on a read-only session: the listing commands' way in."""
    async def main() -> T:
        async with bootstrap.reading(settings) as session:
            return await query(session)

    return run_async(main)
