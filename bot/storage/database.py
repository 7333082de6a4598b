"""Engine creation, with the SQLite settings that make it behave like a real database."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

SessionFactory = async_sessionmaker
POOL_SIZE, POOL_OVERFLOW = 15, 5
"""Connections a process keeps open, and may open beyond that for a while. SQLAlchemy's 5 and
10 had the pool close and reopen connections all the time under load (each opening costs a
few round trips and PostgreSQL a new backend); 20 at most keeps several processes well under
PostgreSQL's default of 100 connections."""


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; on SQLite every transaction takes the write lock up front.

    SQLite allows one writer. With aiosqlite's default deferred transactions, two turns that both
    read and then write can fail with "database is locked" at the upgrade; ``BEGIN IMMEDIATE``
    makes the second wait for the first instead (the SQLAlchemy asyncio SQLite recipe).
    """
    if not url.startswith("sqlite") and "poolclass" not in kwargs:
        kwargs = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW} | kwargs
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactional(engine)
    return engine


def _make_sqlite_transactional(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker:  # type: ignore[type-arg]
    return async_sessionmaker(engine, expire_on_commit=False)
