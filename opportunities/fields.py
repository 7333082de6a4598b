"""The columns of the catalogue's files (DESIGN.md, "The fixed interface") and how each cell is
read: a parser takes the cell's text and the day of the import and returns the value to store,
or raises ``ValueError`` with what is wrong, worded for the operator who wrote the file.

Municipalities and sectors are the NLU contract's values (``nlu/gazetteers.yml``), so what
staff enter is what the bot understands in a message.
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from nlu.entities import entity_values

KINDS = ("training", "job", "internship", "grant", "other")
Parser = Callable[[str, date], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = True
    """Whether the header must have it (its cells may still be empty if the parser allows)."""


_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YES = {"yes": True, "true": True, "1": True, "po": True,
        "no": False, "false": False, "0": False, "jo": False}


def slug(text: str, today: date) -> str:
    if not _SLUG.fullmatch(text):
        raise ValueError(f"{text!r} is not an id (a-z, 0-9, - and _, at most 64)"
                         if text else "is required")
    return text


def text(limit: int, required: bool = False) -> Parser:
    def parse(value: str, today: date) -> str:
        if required and not value:
            raise ValueError("is required")
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long, at most {limit} fit")
        return value
    return parse


def choice(allowed: Collection[str]) -> Parser:
    def parse(value: str, today: date) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}" if value
                             else "is required")
        return value
    return parse


def choices(allowed: Collection[str], known_as: str = "") -> Parser:
    """Comma-separated values, each one of ``allowed``: stored once each, in ``allowed``'s
    order (so the same set is always the same list). ``known_as`` names the allowed values
    when they are too many to list."""
    expected = f"among {known_as}" if known_as else f"one of {', '.join(allowed)}"

    def parse(value: str, today: date) -> list[str]:
        given = {part.strip().lower() for part in value.split(",") if part.strip()}
        if unknown := sorted(given - set(allowed)):
            raise ValueError(f"{', '.join(map(repr, unknown))} not {expected}")
        return [item for item in allowed if item in given]
    return parse


def age(value: str, today: date) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) > 120:
        raise ValueError(f"{value!r} is not an age in whole years")
    return int(value)


def _date(value: str) -> date:
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{value} is not a date (YYYY-MM-DD)")


def deadline(value: str, today: date) -> date | None:
    if not value:
        return None
    day = _date(value)
    if day < today:
        raise ValueError(f"{value} is in the past")
    return day


def checked(value: str, today: date) -> date:
    if not value:
        raise ValueError("is required (the day someone last confirmed it)")
    day = _date(value)
    if day > today:
        raise ValueError(f"{value} is in the future")
    return day


def published(value: str, today: date) -> bool:
    if not value:
        return True
    if value.lower() not in _YES:
        raise ValueError(f"{value!r} is not yes or no")
    return _YES[value.lower()]


def municipalities() -> Parser:
    return choices(entity_values("municipality"))


def shared_columns() -> tuple[Column, ...]:
    """The columns opportunities and services both have, in the files' order."""
    return (
        Column("id", slug), Column("title_sq", text(200, required=True)),
        Column("title_en", text(200)), Column("summary_sq", text(2000)),
        Column("summary_en", text(2000)), Column("organisation", text(200)),
        Column("municipalities", municipalities()),
    )


def contact_columns() -> tuple[Column, ...]:
    return (Column("apply", text(1000)), Column("contact", text(500)),
            Column("source", text(500)), Column("checked", checked))


PUBLISHED = Column("published", published, required=False)
"""Not in DESIGN.md's list (added, never renamed): ``no`` keeps a row in the catalogue without
showing it; empty or absent is ``yes``."""


def opportunity_columns() -> tuple[Column, ...]:
    return (
        Column("id", slug), Column("kind", choice(KINDS)), *shared_columns()[1:],
        Column("sectors", choices(entity_values("sector"))),
        Column("min_age", age), Column("max_age", age), Column("deadline", deadline),
        *contact_columns(), PUBLISHED,
    )


def service_columns(topics: Collection[str]) -> tuple[Column, ...]:
    """``topics``: the content page ids a service may help with (``jobs``, ``human.counters``)."""
    return (
        *shared_columns(), Column("topics", choices(sorted(topics), "content page ids")),
        Column("address", text(500)), Column("phone", text(64)), Column("hours", text(500)),
        *contact_columns(), PUBLISHED,
    )
