"""A checked file into the catalogue, all or nothing: rows whose ``id`` is new are added, known
ones updated in place, and rows the database holds but the file does not are left alone (a file
may carry a part of the catalogue). ``dry_run`` works out the same changes and writes nothing.

Also the way back: the catalogue as rows of the same columns, so an export imports again.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic

from bot.storage.catalogue import LocalService, Opportunity
from bot.storage.repositories.catalogue import Entry
from bot.storage.unit_of_work import UnitOfWork
from opportunities import fields, validation
from opportunities.files import Table, read_table, write_table


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Catalogue(Generic[Entry]):
    """One of the two catalogues: its table and its file's columns."""

    model: type[Entry]
    columns: Callable[[], tuple[fields.Column, ...]]


def opportunities() -> Catalogue[Opportunity]:
    return Catalogue(Opportunity, fields.opportunity_columns)


def services(topics: Sequence[str]) -> Catalogue[LocalService]:
    """``topics``: the content page ids there are (``ContentStore.pages(locale)``)."""
    return Catalogue(LocalService, lambda: fields.service_columns(topics))


def check_file(catalogue: Catalogue[Entry], path: Path, today: date) -> validation.Checked:
    """Read and check a file; raises ``FileProblem`` when it cannot be read at all."""
    table: Table = read_table(path)
    return validation.check_rows(table.header, table.rows, catalogue.columns(), today)


async def apply(uow: UnitOfWork, catalogue: Catalogue[Entry], records: Sequence[dict[str, Any]],
                *, dry_run: bool = False) -> Changes:
    """Add or update each record by its ``id``; the caller commits (or, dry, does not)."""
    model = catalogue.model
    known = await uow.catalogue.by_ids(model, [r["id"] for r in records])
    changes = Changes()
    for record in records:
        entry = known.get(record["id"])
        if entry is None:
            changes.added.append(record["id"])
            if not dry_run:
                uow.catalogue.add(model(**record))
        elif any(getattr(entry, name) != value for name, value in record.items()):
            changes.updated.append(record["id"])
            if not dry_run:
                for name, value in record.items():
                    setattr(entry, name, value)
        else:
            changes.unchanged.append(record["id"])
    if not dry_run:
        await uow.catalogue.flush()
    return changes


async def export(uow: UnitOfWork, catalogue: Catalogue[Entry], path: Path) -> int:
    """Write the whole catalogue to ``path`` (CSV or XLSX by its extension); how many rows."""
    names = [column.name for column in catalogue.columns()]
    entries = await uow.catalogue.listing(catalogue.model)
    write_table(path, names, [[cell(getattr(e, name)) for name in names] for e in entries])
    return len(entries)


def cell(value: object) -> str:
    """A stored value as the file writes it (and reads it back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
