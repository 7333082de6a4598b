"""What staff tools (the web console, later) do to one entry: create, update, publish and
unpublish, each returning a typed result. The fields arrive as text, as a form sends them, and
pass the same checks as a file's row. Who may do it is checked by the caller (staff roles).
The caller commits."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.storage.repositories.catalogue import Entry
from bot.storage.unit_of_work import UnitOfWork
from opportunities.importing import Catalogue
from opportunities.validation import FORM_ROW, Problem, check_rows


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    EXISTS = "exists"
    """Create: an entry with this id is already there."""
    MISSING = "missing"
    """Update, publish, unpublish: there is no entry with this id."""
    INVALID = "invalid"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    entry_id: str
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome not in (Outcome.EXISTS, Outcome.MISSING, Outcome.INVALID)


async def create(uow: UnitOfWork, catalogue: Catalogue[Entry], form: Mapping[str, str],
                 today: date) -> Result:
    entry_id = form.get("id", "").strip()
    checked = check_rows(list(form), [(FORM_ROW, form)], catalogue.columns(), today)
    if checked.problems:
        return Result(Outcome.INVALID, entry_id, tuple(checked.problems))
    if await uow.catalogue.get(catalogue.model, entry_id) is not None:
        return Result(Outcome.EXISTS, entry_id)
    uow.catalogue.add(catalogue.model(**checked.records[0]))
    await uow.catalogue.flush()
    return Result(Outcome.CREATED, entry_id)


async def update(uow: UnitOfWork, catalogue: Catalogue[Entry], entry_id: str,
                 form: Mapping[str, str], today: date) -> Result:
    """Replace the entry's fields with the form's (the id cannot change: it is the key files
    and referrals know it by)."""
    entry = await uow.catalogue.get(catalogue.model, entry_id)
    if entry is None:
        return Result(Outcome.MISSING, entry_id)
    fields = {**form, "id": entry_id}
    checked = check_rows(list(fields), [(FORM_ROW, fields)], catalogue.columns(), today)
    if checked.problems:
        return Result(Outcome.INVALID, entry_id, tuple(checked.problems))
    record = checked.records[0]
    if all(getattr(entry, name) == value for name, value in record.items()):
        return Result(Outcome.UNCHANGED, entry_id)
    for name, value in record.items():
        setattr(entry, name, value)
    await uow.catalogue.flush()
    return Result(Outcome.UPDATED, entry_id)


async def publish(uow: UnitOfWork, catalogue: Catalogue[Entry], entry_id: str) -> Result:
    return await _set_published(uow, catalogue, entry_id, True)


async def unpublish(uow: UnitOfWork, catalogue: Catalogue[Entry], entry_id: str) -> Result:
    return await _set_published(uow, catalogue, entry_id, False)


async def _set_published(uow: UnitOfWork, catalogue: Catalogue[Entry], entry_id: str,
                         published: bool) -> Result:
    entry = await uow.catalogue.get(catalogue.model, entry_id)
    if entry is None:
        return Result(Outcome.MISSING, entry_id)
    outcome = Outcome.PUBLISHED if published else Outcome.UNPUBLISHED
    if entry.published == published:
        return Result(Outcome.UNCHANGED, entry_id)
    entry.published = published
    await uow.catalogue.flush()
    return Result(outcome, entry_id)
