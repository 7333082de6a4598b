"""Alembic migrations run from code (``youthbot db upgrade``, start-up, tests)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.paths import MIGRATIONS_DIR


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to ``revision`` on the engine's own connection (no nested event loop)."""
    await _run(engine, lambda config: command.upgrade(config, revision))


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    await _run(engine, lambda config: command.downgrade(config, revision))


async def _run(engine: AsyncEngine, action: Callable[[Config], None]) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        action(config)

    async with engine.begin() as connection:
        await connection.run_sync(run)


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    """The database's revision (None: never migrated). Start-up, ``/readyz`` and ``doctor``
    compare it with :func:`head_revision`: a schema behind the code fails every turn."""
    def read(connection: Connection) -> str | None:
        chatty = logging.getLogger("alembic.runtime.migration")  # "Context impl …" at INFO
        level = chatty.level
        chatty.setLevel(logging.WARNING)
        try:
            return MigrationContext.configure(connection).get_current_revision()
        finally:
            chatty.setLevel(level)

    async with engine.connect() as connection:
        return await connection.run_sync(read)


@dataclass(frozen=True)
class SchemaProblem:
    """Why the database cannot serve this code: ``reason`` for the operator; ``answers`` is
    False when the database did not answer at all (then trying again later may work)."""

    reason: str
    answers: bool


async def schema_problem(engine: AsyncEngine) -> SchemaProblem | None:
    """Why the database cannot serve this code (None: it can): it does not answer, or its
    schema is not at :func:`head_revision`. Never names the URL (it may hold a password)."""
    try:
        current = await current_revision(engine)
    except Exception as error:  # noqa: BLE001 - refused, unknown database, auth: not answering
        return SchemaProblem(f"the database does not answer ({type(error).__name__})", False)
    head = head_revision()
    if current != head:
        return SchemaProblem(f"the database schema is at revision {current or 'none'}, this "
                             f"code needs {head}: run `youthbot db upgrade`", True)
    return None
