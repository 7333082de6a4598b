"""Core INSERTs shared by the repositories that append rows at commit time."""

from typing import Any, cast

from sqlalchemy import Table, TextClause, TextualSelect, bindparam, insert, text
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


class InsertOrNothing:
    """``INSERT ... ON CONFLICT DO NOTHING`` into a table, written out as text (the same for
    PostgreSQL and SQLite 3.24+), optionally ``RETURNING`` the row.

    Text rather than the dialects' ``insert().on_conflict_do_nothing()``, because SQLAlchemy
    cannot cache those: each execution compiled the statement anew, on every turn (the
    delivery claim) and for every new user.
    """

    def __init__(self, table: Table, *, returning: bool = False) -> None:
        self._columns = [column.name for column in table.c if not column.primary_key]
        statement = text(
            f"INSERT INTO {table.name} ({', '.join(self._columns)}) "
            f"VALUES ({', '.join(':' + name for name in self._columns)}) ON CONFLICT DO NOTHING"
            + (f" RETURNING {', '.join(column.name for column in table.c)}" if returning else "")
        ).bindparams(*(bindparam(name, type_=table.c[name].type) for name in self._columns))
        self.statement: TextClause | TextualSelect = (
            statement.columns(*table.c) if returning else statement)

    def params(self, **values: Any) -> dict[str, Any]:
        """Every column's parameter: those given, None for the rest (no Python-side default
        applies to a textual INSERT)."""
        return dict.fromkeys(self._columns) | values
