"""``youthbot retention run``: an operator deletes what is past RETENTION_DAYS now, and sees
how much went."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import MessageLogEntry, User
from tests.e2e.test_cli import youthbot


async def test_retention_run_deletes_old_messages_and_prints_the_counts(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    now = datetime.now(UTC)
    async with session_factory(engine)() as session:
        user = User(channel="telegram", address="42", locale="sq")
        session.add(user)
        await session.flush()
        session.add_all([
            MessageLogEntry(user_id=user.id, direction="in", text="old",
                            created_at=now - timedelta(days=31)),
            MessageLogEntry(user_id=user.id, direction="in", text="new",
                            created_at=now - timedelta(days=29)),
        ])
        await session.commit()
    monkeypatch.setenv("RETENTION_DAYS", "30")

    done = youthbot("retention", "run", cwd=tmp_path, database_url=database_url)

    assert done.returncode == 0, done.stderr
    assert "older than 30 days:" in done.stdout
    assert "messages deleted        1" in done.stdout
    async with session_factory(engine)() as session:
        assert (await session.scalars(select(MessageLogEntry.text))).all() == ["new"]
    await engine.dispose()
    again = youthbot("retention", "run", cwd=tmp_path, database_url=database_url)
    assert "messages deleted        0" in again.stdout
