"""PostgreSQL session-level advisory locks, each on a connection of its own.

A lock taken with ``pg_try_advisory_lock`` belongs to the database session that took it: it is
freed when that session ends, however it ends (the process exits, is killed with SIGKILL, or
loses its network). That is what makes it fit for leadership (:mod:`bot.leadership`): the
leader holds the lock on a dedicated connection, outside any pool, and whoever takes the lock
next knows the previous holder's connection is gone.

On SQLite there is one process, so every lock is granted at once and never lost.
"""

import asyncio
import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import NullPool

from bot.storage.database import create_engine

PROBE_TIMEOUT = 2.0
"""Seconds a probe of the lock's connection may take before the lock counts as lost."""


def lock_key(name: str) -> int:
    """The lock's 64-bit key: a stable hash of the name (the same in every process)."""
    digest = hashlib.blake2b(f"youthbot:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class HeldLock:
    """A lock this process holds; :meth:`held` checks it still does."""

    def __init__(self, connection: AsyncConnection | None = None) -> None:
        self._connection = connection

    async def held(self) -> bool:
        """False once the lock's connection is gone (then the lock is someone else's to take)."""
        if self._connection is None:
            return True
        try:
            await asyncio.wait_for(self._connection.scalar(text("SELECT 1")), PROBE_TIMEOUT)
        except Exception:  # noqa: BLE001 - any failure of the connection means the lock is lost
            return False
        return True

    async def release(self) -> None:
        """Give the lock up by closing its connection (the session's locks go with it)."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                await asyncio.wait_for(connection.close(), PROBE_TIMEOUT)
            except Exception:  # noqa: BLE001 - a dead connection: the lock is gone anyway
                await connection.invalidate()


class AdvisoryLocks:
    """Try named locks on one database; each held lock has a connection of its own."""

    def __init__(self, url: str) -> None:
        self._engine: AsyncEngine | None = None
        if not url.startswith("sqlite"):
            # No pool: closing a lock's connection must end its database session.
            self._engine = create_engine(url, poolclass=NullPool)

    @property
    def shared(self) -> bool:
        """Whether other processes may compete for the locks (not on SQLite)."""
        return self._engine is not None

    async def try_acquire(self, name: str) -> HeldLock | None:
        """The lock if nobody holds it now, else None (never waits)."""
        if self._engine is None:
            return HeldLock()
        connection = await self._engine.connect()
        try:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                          {"key": lock_key(name)})
        except BaseException:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return None
        return HeldLock(connection)

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
