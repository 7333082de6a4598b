"""Retention on the real databases: what is older than RETENTION_DAYS goes, what is recent and
the referral audit stay, and a past period's report gives the same numbers afterwards."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import LOCALES
from bot.i18n import load_translators
from bot.retention import RetentionCounts, run_retention
from bot.scheduler import jobs
from bot.staff import StaffDesk
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import (
    Campaign,
    CampaignEvent,
    MessageLogEntry,
    OutboxMessage,
    ProcessedDelivery,
    Referral,
    ReferralEvent,
    User,
)
from bot.storage.unit_of_work import UnitOfWork
from reports.period import Period
from reports.summary import summary

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
DAYS = 180
OLD = NOW - timedelta(days=DAYS + 20)
RECENT = NOW - timedelta(days=DAYS - 20)
OLD_PERIOD = Period(OLD.date() - timedelta(days=10), OLD.date() + timedelta(days=10))


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def _seed(session: AsyncSession) -> None:
    """Per age (old, recent): a user by a campaign with a message in and out, a processed
    delivery, a delivered and a waiting reply, and a closed referral with its audit."""
    campaign = Campaign(code="poster", name="Poster", created_at=OLD)
    session.add(campaign)
    await session.flush()
    for n, at in enumerate((OLD, RECENT)):
        user = User(channel="telegram", address=f"10{n}", locale="sq", created_at=at,
                    last_seen_at=at, first_campaign_id=campaign.id)
        session.add(user)
        session.add(CampaignEvent(kind="started", code="poster", campaign_id=campaign.id,
                                  channel="telegram", created_at=at))
        await session.flush()
        session.add_all([
            MessageLogEntry(user_id=user.id, direction="in", text=f"question {n}", created_at=at),
            MessageLogEntry(user_id=user.id, direction="out", text=f"answer {n}", created_at=at),
            ProcessedDelivery(channel="telegram", delivery_id=f"upd{n}", created_at=at),
            OutboxMessage(channel="telegram", address=user.address, user_id=user.id,
                          text=f"answer {n}", choices=[["menu", "Menu"]], created_at=at,
                          sent_at=at + timedelta(seconds=1), provider_id=f"m{n}"),
            OutboxMessage(channel="telegram", address=user.address, user_id=user.id,
                          text=f"waiting {n}", created_at=at, held_reason="window_closed"),
            # to someone who erased their data: sent, so already without address and text
            OutboxMessage(channel="telegram", address="erased", text="", created_at=at,
                          sent_at=at, erase_after_send=True),
        ])
        referral = Referral(user_id=user.id, topic="jobs", priority="normal", status="closed",
                            channel="telegram", outcome="job_interview", created_at=at,
                            claimed_at=at + timedelta(minutes=5),
                            first_answer_at=at + timedelta(minutes=9),
                            closed_at=at + timedelta(days=1))
        session.add(referral)
        await session.flush()
        session.add_all([ReferralEvent(referral_id=referral.id, kind=kind, created_at=at)
                         for kind in ("created", "claimed", "closed")])
    await session.commit()


async def _count(session: AsyncSession, model: type, *where: object) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_old_texts_and_delivery_ids_go_while_recent_rows_and_the_audit_stay(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        await _seed(session)
        report_before = (await summary(session, OLD_PERIOD, NOW, NOW - timedelta(days=DAYS))).as_json()
        audit_before = await _count(session, ReferralEvent)

    counts = await run_retention(partial(UnitOfWork, sessions), NOW, DAYS, batch=1)

    # batch=1: every kind of row took several statements, and all were done
    assert counts == RetentionCounts(messages=2, deliveries=1, outbox_texts=1, erased_rows=2)
    async with sessions() as session:
        texts = set((await session.scalars(select(MessageLogEntry.text))).all())
        assert texts == {"question 1", "answer 1"}
        assert set((await session.scalars(select(ProcessedDelivery.delivery_id))).all()) == {
            "upd1"}
        outbox = {row.provider_id or row.held_reason + row.address: (row.text, row.choices)
                  for row in (await session.scalars(select(OutboxMessage))).all()}
        assert outbox == {
            "m0": ("", []),  # delivered long ago: its text is gone, the row stays
            "m1": ("answer 1", [["menu", "Menu"]]),
            "window_closed100": ("waiting 0", []),  # never delivered: still to be sent
            "window_closed101": ("waiting 1", []),
        }
        assert await _count(session, User) == 2
        assert await _count(session, ReferralEvent) == audit_before == 6
        assert (await summary(session, OLD_PERIOD, NOW, NOW - timedelta(days=DAYS))).as_json() == report_before
        assert report_before["new_users"]["total"] == 1  # the period does hold the old rows

    again = await run_retention(partial(UnitOfWork, sessions), NOW, DAYS)
    assert again.total == 0


async def test_a_retention_of_less_than_a_day_is_refused(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        await run_retention(partial(UnitOfWork, sessions), NOW, 0)


async def test_the_scheduler_runs_retention_with_the_setting(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime.now(UTC)
    async with sessions() as session:
        user = User(channel="telegram", address="7", locale="sq", created_at=now)
        session.add(user)
        await session.flush()
        session.add_all([
            MessageLogEntry(user_id=user.id, direction="in", text="old", created_at=now
                            - timedelta(days=31)),
            MessageLogEntry(user_id=user.id, direction="in", text="new", created_at=now
                            - timedelta(days=29)),
        ])
        await session.commit()
    unit_of_work = partial(UnitOfWork, sessions)
    desk = StaffDesk(unit_of_work, load_translators(LOCALES), "sq", None)
    [retention] = [job for job in jobs(desk, unit_of_work, 30) if job.name == "retention"]

    assert await retention.run() == 0  # nothing for the senders
    async with sessions() as session:
        assert set((await session.scalars(select(MessageLogEntry.text))).all()) == {"new"}
