"""Counting rows by a column with one GROUP BY: the shape every breakdown of a report takes."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

Counts = Mapping[str, int]
"""How many rows have each value, largest first (ties by value); values never seen are absent."""


async def count_by(
    session: AsyncSession, column: Any, conditions: Iterable[ColumnElement[bool]] = (),
) -> dict[str, int]:
    """Rows counted per value of ``column``, largest first; rows where it is NULL are left out."""
    query = (
        select(column, func.count())
        .where(column.is_not(None), *conditions)
        .group_by(column)
    )
    rows = (await session.execute(query)).all()
    return ordered({str(value): count for value, count in rows})


def ordered(counts: Mapping[str, int]) -> dict[str, int]:
    """Largest count first, then by value, so two runs over the same rows print the same."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
