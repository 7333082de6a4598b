"""``youthbot opportunities`` and ``youthbot services``: the catalogue of opportunities and the
directory of local services, from and to CSV or XLSX files (columns: DESIGN.md, README).

A file with any problem imports nothing: every problem is printed (file, row, column) and the
exit status is 1. The file is checked before the database is opened.
"""

from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot import bootstrap, content, logs
from bot.cli.common import echo_table, run_async
from bot.config import LOCALES, Settings, load_settings
from bot.storage.catalogue import LocalService
from bot.storage.unit_of_work import UnitOfWork
from opportunities import importing
from opportunities.files import FileProblem
from opportunities.importing import Catalogue, Changes

opportunities_app = typer.Typer(no_args_is_help=True)
services_app = typer.Typer(no_args_is_help=True)
T = TypeVar("T")
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")]


def _settings() -> Settings:
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())
    return settings


def _in_database(settings: Settings,
                 work: Callable[[UnitOfWork], Coroutine[Any, Any, T]]) -> T:
    async def main() -> T:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            return await work(uow)
    return run_async(main)


def _services(settings: Settings) -> Catalogue[Any]:
    """The directory, whose ``topics`` are the content's page ids."""
    try:
        store = content.load(settings.content_dir, LOCALES)
    except content.ContentError as error:
        for problem in error.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1) from None
    return importing.services(sorted(store.pages(store.locales[0])))


def _import(settings: Settings, catalogue: Catalogue[Any], file: Path, dry_run: bool) -> None:
    try:
        checked = importing.check_file(catalogue, file, date.today())
    except FileProblem as problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1) from None
    if checked.problems:
        for found in checked.problems:
            typer.echo(f"{file}: {found}", err=True)
        typer.echo(f"{file}: {len(checked.problems)} problem(s); nothing imported", err=True)
        raise typer.Exit(1)

    async def work(uow: UnitOfWork) -> Changes:
        changes = await importing.apply(uow, catalogue, checked.records, dry_run=dry_run)
        if not dry_run:
            await uow.commit()
        return changes

    changes = _in_database(settings, work)
    verb = "would be " if dry_run else ""
    for name, ids in (("added", changes.added), ("updated", changes.updated)):
        for entry_id in ids if dry_run else ():
            typer.echo(f"{name}: {entry_id}")
    typer.echo(f"{file}: {len(changes.added)} {verb}added, {len(changes.updated)} {verb}updated, "
               f"{len(changes.unchanged)} unchanged" + (" (dry run: nothing written)"
                                                        if dry_run else ""))


def _export(settings: Settings, catalogue: Catalogue[Any], file: Path) -> None:
    async def work(uow: UnitOfWork) -> int:
        return await importing.export(uow, catalogue, file)

    try:
        count = _in_database(settings, work)
    except (FileProblem, OSError) as problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{file}: {count} row(s) written")


@opportunities_app.command("import")
def opportunities_import(file: Path, dry_run: DryRun = False) -> None:
    """Add or update opportunities from a CSV or XLSX file (by id); all rows or none."""
    _import(_settings(), importing.opportunities(), file, dry_run)


@opportunities_app.command("export")
def opportunities_export(file: Path) -> None:
    """Write every opportunity to a CSV or XLSX file that imports again."""
    _export(_settings(), importing.opportunities(), file)


@opportunities_app.command("list")
def opportunities_list(
    open_only: Annotated[bool, typer.Option(
        "--open", help="Only those shown to users: published, deadline not passed.")] = False,
) -> None:
    """The opportunities, by id (with --open: the most urgent deadline first)."""
    today = date.today()

    async def work(uow: UnitOfWork) -> list[tuple[object, ...]]:
        entries = (await uow.catalogue.open_opportunities(today) if open_only
                   else await uow.catalogue.listing(importing.opportunities().model))
        return [(e.id, e.kind, e.deadline or "-", importing.cell(e.municipalities) or "all",
                 "open" if e.published and (e.deadline is None or e.deadline >= today)
                 else "expired" if e.published else "unpublished", e.title_sq[:40])
                for e in entries]

    echo_table("{:32} {:10} {:10} {:18} {:11} {}",
               ("id", "kind", "deadline", "municipalities", "state", "title_sq"),
               _in_database(_settings(), work))


@services_app.command("import")
def services_import(file: Path, dry_run: DryRun = False) -> None:
    """Add or update local services from a CSV or XLSX file (by id); all rows or none."""
    settings = _settings()
    _import(settings, _services(settings), file, dry_run)


@services_app.command("export")
def services_export(file: Path) -> None:
    """Write every local service to a CSV or XLSX file that imports again."""
    settings = _settings()
    _export(settings, _services(settings), file)


@services_app.command("list")
def services_list() -> None:
    """The local services, by id."""
    async def work(uow: UnitOfWork) -> list[tuple[object, ...]]:
        return [(e.id, importing.cell(e.municipalities) or "all", importing.cell(e.topics),
                 e.checked, "published" if e.published else "unpublished", e.title_sq[:40])
                for e in await uow.catalogue.listing(LocalService)]

    echo_table("{:32} {:18} {:30} {:10} {:11} {}",
               ("id", "municipalities", "topics", "checked", "state", "title_sq"),
               _in_database(_settings(), work))
