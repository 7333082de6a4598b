"""Where a value still is: every column of every table, as its text."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.models import Base


async def places_holding(
    sessions: async_sessionmaker[AsyncSession], needles: tuple[str, ...]
) -> list[str]:
    """``table.column = value`` for each value (JSON included, as text) containing a needle."""
    found = []
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                for column, value in row.items():
                    text = str(value)
                    if any(needle in text for needle in needles):
                        found.append(f"{table.name}.{column} = {text!r}")
    return found
