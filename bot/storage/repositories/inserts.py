"""Core INSERTs shared by the repositories that append rows at commit time."""

from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import MessageLogEntry, OutboxMessage


async def insert_in_order(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` in one statement, their ids ascending in list order (the outbox is
    delivered, and the message log read, in id order)."""
    if len(rows) == 1:
        await session.execute(_INSERT[table.name], rows[0])
    elif rows:
        # With several rows SQLAlchemy's ordered form inserts them in parameter order.
        await session.execute(_INSERT_ORDERED[table.name], rows)



_TABLES = (cast(Table, OutboxMessage.__table__), cast(Table, MessageLogEntry.__table__))
_INSERT = {table.name: insert(table) for table in _TABLES}
_INSERT_ORDERED = {
    name: statement.returning(statement.table.c.id, sort_by_parameter_order=True)
    for name, statement in _INSERT.items()
}


def insert_for(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ``ON CONFLICT DO NOTHING``."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
