"""Staff timings month by month and the "did this help?" answers of a quarter, on the real
databases: what a project manager reads to see whether answers got faster and helped."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import Referral, ReferralEvent
from reports.feedback import FEEDBACK, helped
from reports.period import Period
from reports.timings import by_month

Q1 = Period.quarter(2026, 1)
JAN, FEB, APR = (datetime(2026, month, 10, 9, 0, tzinfo=UTC) for month in (1, 2, 4))
REFERRALS = [  # made, priority, minutes to claim, to first answer, "did this help?" answers
    (JAN, "urgent", 10, 20, ("yes",)),
    (JAN, "urgent", 30, None, ()),
    (JAN, "normal", 120, 240, ("no", "yes")),  # changed their mind: the last answer counts
    (FEB, "normal", 60, 90, ("yes",)),
    (FEB, "normal", 90, 100, ("no",)),
    (FEB, "normal", None, None, ()),  # never claimed: in no timing
    (APR, "urgent", 1, 2, ("yes",)),  # after the quarter
]


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        async with session_factory(engine)() as seeding:
            for made, level, claim, answer, answers in REFERRALS:
                referral = Referral(
                    topic="jobs", priority=level, channel="telegram",
                    status="closed" if answers else "claimed", created_at=made, updated_at=made,
                    claimed_at=None if claim is None else made + timedelta(minutes=claim),
                    first_answer_at=None if answer is None else made + timedelta(minutes=answer))
                seeding.add(referral)
                await seeding.flush()
                seeding.add_all(ReferralEvent(referral_id=referral.id, kind=FEEDBACK,
                                              detail=said, created_at=made + timedelta(days=1))
                                for said in answers)
            await seeding.commit()
        async with session_factory(engine)() as reading:
            yield reading
    finally:
        await engine.dispose()


async def test_time_to_claim_and_to_first_answer_month_by_month(session: AsyncSession) -> None:
    rows = await by_month(session, Q1)

    assert [(r.month, r.priority, r.to_claim.count, r.to_claim.median, r.to_claim.p90,
             r.to_first_answer.count, r.to_first_answer.median) for r in rows] == [
        ("2026-01", "urgent", 2, 20.0, 28.0, 1, 20.0),
        ("2026-01", "normal", 1, 120.0, 120.0, 1, 240.0),
        ("2026-02", "normal", 2, 75.0, 87.0, 2, 95.0),
    ]


async def test_did_this_help_counts_each_referrals_last_answer(session: AsyncSession) -> None:
    assert await helped(session, Q1) == {"yes": 3, "no": 1}  # every answer: 3 and 2
    assert await helped(session, Period(None, None)) == {"yes": 4, "no": 1}
