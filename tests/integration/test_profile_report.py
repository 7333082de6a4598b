"""The profile question's counts on the real databases: a seeded quarter, with people who came
before and after it, and one who erased their data."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import User
from bot.storage.profiles import UserProfile
from bot.storage.repositories.users import UserRepository
from reports.period import Period
from reports.profiles import Profiles, profiles

Q1 = Period.quarter(2026, 1)
JAN, MAR = datetime(2026, 1, 10, 9, 0, tzinfo=UTC), datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
BEFORE, AFTER = datetime(2025, 12, 31, 23, 59, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)

PEOPLE = [  # when they first came, status, municipality, age band, gender (None: skipped)
    (JAN, "answered", "kukes", "18_24", "female"),
    (JAN, "answered", "kukes", "16_17", "male"),
    (JAN, "answered", "has", "18_24", None),
    (MAR, "answered", "tropoje", None, "unsaid"),
    (MAR, "asked", "has", None, None),  # left it for another topic after one answer
    (MAR, "declined", None, None, None),
    (JAN, None, None, None, None),  # never asked
    (BEFORE, "answered", "kukes", "25_29", "male"),
    (AFTER, "answered", "has", "18_24", "female"),
    (JAN, "answered", "other", "30p", "other"),  # erases their data below
]


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        async with session_factory(engine)() as seeding:
            users = []
            for number, (at, status, municipality, age, gender) in enumerate(PEOPLE):
                user = User(channel="telegram", address=f"u{number}", locale="sq",
                            created_at=at, last_seen_at=at)
                seeding.add(user)
                await seeding.flush()
                users.append(user)
                if status is not None:
                    seeding.add(UserProfile(user_id=user.id, status=status,
                                            municipality=municipality, age_band=age,
                                            gender=gender, asked_at=at, updated_at=at))
            await seeding.flush()
            await UserRepository(seeding).delete_with_history(users[-1])
            await seeding.commit()
        async with session_factory(engine)() as reading:
            yield reading
    finally:
        await engine.dispose()


async def test_the_quarter_counts_the_bands_of_the_people_who_came_in_it(
    session: AsyncSession,
) -> None:
    assert await profiles(session, Q1) == Profiles(
        by_status={"answered": 4, "asked": 1, "declined": 1},
        by_municipality={"has": 2, "kukes": 2, "tropoje": 1},
        by_age_band={"18_24": 2, "16_17": 1},
        by_gender={"female": 1, "male": 1, "unsaid": 1},
    )


async def test_every_period_and_nobody_erased(session: AsyncSession) -> None:
    ever = await profiles(session)
    assert ever.by_status == {"answered": 6, "asked": 1, "declined": 1}
    assert ever.by_municipality == {"has": 3, "kukes": 3, "tropoje": 1}
    assert "other" not in ever.by_gender and "30p" not in ever.by_age_band
    assert (await profiles(session, Period(start=AFTER.date()))).by_gender == {"female": 1}
