"""A throwaway database for a benchmark: a SQLite file by default, or a fresh database on the
PostgreSQL server given, dropped afterwards."""

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.storage.database import create_engine


@asynccontextmanager
async def throwaway(server: str | None, name: str) -> AsyncIterator[str]:
    if server is None:
        yield f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/{name}.db"
        return
    admin_url = make_url(server).set(drivername="postgresql+asyncpg")
    database = f"youthbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url.render_as_string(hide_password=False),
                          isolation_level="AUTOCOMMIT")
    async with admin.connect() as db:
        await db.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield admin_url.set(database=database).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as db:
            await db.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        await admin.dispose()
