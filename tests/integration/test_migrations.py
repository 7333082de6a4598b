"""The Alembic revisions build exactly the models' schema, both ways, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import Base

TABLES = {"users", "conversation_states", "messages", "processed_deliveries", "outbox",
          "campaign_events", "referral_events",
          "referrals", "campaigns", "staff_members", "opportunities", "local_services"}


async def test_upgrade_downgrade_upgrade_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        await migrate.downgrade(engine, "base")
        async with engine.connect() as connection:
            left = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert left <= {"alembic_version"}
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            diff = await connection.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata
                )
            )
        assert TABLES <= tables
        assert diff == []
    finally:
        await engine.dispose()


async def test_current_revision_follows_the_migrations(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await migrate.current_revision(engine) is None
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        await migrate.downgrade(engine, "-1")
        assert await migrate.current_revision(engine) not in (None, migrate.head_revision())
    finally:
        await engine.dispose()
