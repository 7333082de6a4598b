"""The programme's counts per opportunity on both databases: views, "interested", referrals and
their outcomes, alerts sent and skipped, read from the tables the conversation and the alerts
broadcast write (here filled by hand, in the shape those write them), and ``None`` where a
database has no such table yet."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    text,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrate
from bot.storage.catalogue import Opportunity
from bot.storage.database import create_engine, session_factory
from bot.storage.unit_of_work import UnitOfWork
from opportunities import importing
from opportunities.validation import check_rows
from referrals.queue import ReferralQueue
from reports.opportunity_counts import DELIVERIES, EVENTS, per_opportunity
from reports.period import Period
from tests.support.catalogue_rows import OPPORTUNITY_HEADER, TODAY, opportunity

JAN, APR = datetime(2026, 1, 10, 9, tzinfo=UTC), datetime(2026, 4, 2, 9, tzinfo=UTC)
Q1 = Period.quarter(2026, 1)
WRITTEN_ELSEWHERE = MetaData()
Table("opportunity_events", WRITTEN_ELSEWHERE, Column("id", Integer, primary_key=True),
      Column("opportunity_id", String(64), nullable=False),
      Column("kind", String(16), nullable=False),
      Column("created_at", DateTime(timezone=True), nullable=False))
Table("alert_deliveries", WRITTEN_ELSEWHERE, Column("id", Integer, primary_key=True),
      Column("opportunity_id", String(64), nullable=False), Column("user_id", Integer),
      Column("status", String(16), nullable=False), Column("reason", String(16)),
      Column("decided_at", DateTime(timezone=True), nullable=False))
"""The tables of the matching and alerts work, as their migrations make them (created here
only when this database lacks them)."""


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    made = create_engine(database_url)
    try:
        yield made
    finally:
        await made.dispose()


async def _catalogue(engine: AsyncEngine, count: int) -> None:
    kind = importing.opportunities()
    rows = [(n + 1, opportunity(n)) for n in range(1, count + 1)]
    checked = check_rows(OPPORTUNITY_HEADER, rows, kind.columns(), TODAY)
    async with UnitOfWork(session_factory(engine)) as uow:
        await importing.apply(uow, kind, checked.records)
        await uow.commit()


async def test_a_database_without_those_tables_counts_nothing_rather_than_zero(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(Opportunity.__table__.create)  # type: ignore[attr-defined]
    await _catalogue(engine, 2)
    async with session_factory(engine)() as session:
        found = await per_opportunity(session)
    assert [(c.id, c.views, c.interested, c.referrals, c.outcomes, c.alerts_sent,
             c.alerts_skipped) for c in found] == [
        ("opp-001", None, None, None, None, None, None),
        ("opp-002", None, None, None, None, None, None)]


async def test_views_interest_referrals_outcomes_and_alerts_per_opportunity(
    engine: AsyncEngine,
) -> None:
    await migrate.upgrade(engine)
    async with engine.begin() as connection:
        await connection.run_sync(WRITTEN_ELSEWHERE.create_all)
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("referrals")})
        if "opportunity_id" not in columns:
            await connection.execute(
                text("ALTER TABLE referrals ADD COLUMN opportunity_id VARCHAR(64)"))
    await _catalogue(engine, 3)
    async with engine.begin() as connection:
        await connection.execute(insert(EVENTS), [
            *[{"opportunity_id": "opp-001", "kind": "view", "created_at": JAN}] * 5,
            {"opportunity_id": "opp-001", "kind": "view", "created_at": APR},
            *[{"opportunity_id": "opp-001", "kind": "interested", "created_at": JAN}] * 2,
            {"opportunity_id": "opp-002", "kind": "view", "created_at": JAN},
            {"opportunity_id": "gone", "kind": "view", "created_at": JAN},
        ])
        await connection.execute(insert(DELIVERIES), [
            {"opportunity_id": "opp-001", "status": "queued", "reason": None, "decided_at": JAN},
            {"opportunity_id": "opp-001", "status": "queued", "reason": None, "decided_at": JAN},
            {"opportunity_id": "opp-001", "status": "skipped", "reason": "no_template",
             "decided_at": JAN},
            {"opportunity_id": "opp-001", "status": "skipped", "reason": "stopped",
             "decided_at": APR},
            {"opportunity_id": "opp-001", "status": "waiting", "reason": None, "decided_at": JAN},
        ])
    async with UnitOfWork(session_factory(engine)) as uow:
        queue = ReferralQueue(uow.referrals, lambda: JAN)
        made = [await queue.create(user_id=None, channel="telegram", topic="trainings")
                for _ in range(3)]
        await uow.commit()
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE referrals SET opportunity_id = 'opp-001', outcome = :outcome "
                 "WHERE id = :id"),
            [{"id": referral.id, "outcome": outcome}
             for referral, outcome in zip(made, ("employed", "employed", None), strict=True)])

    async with session_factory(engine)() as session:
        everything, quarter = await per_opportunity(session), await per_opportunity(session, Q1)

    first, second, third = everything
    assert (first.id, first.views, first.interested, first.referrals) == ("opp-001", 6, 2, 3)
    assert first.outcomes == {"employed": 2}
    assert (first.alerts_sent, first.alerts_skipped) == (2, {"no_template": 1, "stopped": 1})
    assert (second.views, second.interested, second.referrals, second.alerts_sent) == (1, 0, 0, 0)
    assert (third.views, third.outcomes, third.alerts_skipped) == (0, {}, {})
    assert [c.id for c in everything] == ["opp-001", "opp-002", "opp-003"]
    assert (quarter[0].views, quarter[0].alerts_skipped) == (5, {"no_template": 1})
