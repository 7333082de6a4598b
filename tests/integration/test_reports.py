"""The read side on the real databases: a seeded quarter read as a project manager reads it."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import Campaign, CampaignEvent, Referral, User
from reports import funnel, reach, rows, timings
from reports.period import ALL_TIME, Period
from reports.summary import summary
from reports.suppression import suppress_counts

Q1 = Period.quarter(2026, 1)
JAN, FEB, MAR = (datetime(2026, month, 10, 9, 0, tzinfo=UTC) for month in (1, 2, 3))
BEFORE = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
LAST_MINUTE = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
AFTER = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)

USERS = [  # channel, language, first campaign, when
    ("telegram", "sq", "poster_kukes", JAN), ("telegram", "sq", "poster_kukes", FEB),
    ("telegram", "sq", "poster_kukes", MAR), ("telegram", "sq", None, JAN),
    ("whatsapp", "sq", "tiktok_has", FEB), ("whatsapp", "sq", None, MAR),
    ("telegram", "en", "tiktok_has", MAR), ("whatsapp", "en", None, LAST_MINUTE),
    ("telegram", "sq", "poster_kukes", BEFORE), ("whatsapp", "sq", "tiktok_has", AFTER),
]
STARTS = [  # code as received, when
    *[("poster_kukes", at) for at in (JAN, JAN, FEB, MAR, LAST_MINUTE, BEFORE)],
    *[("tiktok_has", at) for at in (FEB, MAR, MAR, AFTER)],
    ("postr_kukes", JAN), ("postr_kukes", MAR),  # a typo on a poster: no such campaign
]
REFERRALS = [  # priority, topic, channel, status, outcome, partner, minutes to claim, to answer
    ("urgent", "migration", "telegram", "closed", "national_referral_mechanism_or_police",
     "Policia Kukës", 4, 10),
    ("urgent", "migration", "whatsapp", "closed", "legal_migration_counselling", None, 10, 20),
    ("urgent", "migration", "telegram", "claimed", None, None, 30, None),
    ("high", "jobs", "telegram", "contacted", None, None, 60, 90),
    ("normal", "trainings", "whatsapp", "closed", "enrolled_training", "Qendra VET", 120, 180),
    ("normal", "trainings", "telegram", "new", None, None, None, None),
    ("normal", "jobs", "telegram", "withdrawn", None, None, 600, None),
]


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        async with session_factory(engine)() as seeding:
            await _seed(seeding)
        async with session_factory(engine)() as reading:
            yield reading
    finally:
        await engine.dispose()


async def _seed(session: AsyncSession) -> None:
    campaigns = {code: Campaign(code=code, name=name, created_at=BEFORE) for code, name in (
        ("poster_kukes", "Postera Kukës"), ("tiktok_has", "TikTok Has"),
        ("school_tropoje", "Shkolla Tropojë"))}
    session.add_all(campaigns.values())
    await session.flush()
    for number, (channel, locale, code, at) in enumerate(USERS):
        first = campaigns[code].id if code else None
        session.add(User(channel=channel, address=f"u{number}", locale=locale,
                         first_campaign_id=first, created_at=at, last_seen_at=at))
    for code, at in STARTS:
        known = campaigns.get(code)
        session.add(CampaignEvent(kind=reach.STARTED, code=code, channel="telegram",
                                  campaign_id=known.id if known else None, created_at=at))
    days = iter(range(1, 40))
    for level, topic, channel, status, outcome, partner, claim, answer in REFERRALS:
        created = JAN + timedelta(days=next(days))
        session.add(Referral(
            topic=topic, priority=level, channel=channel, status=status, outcome=outcome,
            partner=partner, created_at=created, updated_at=created, contact="+355691234567",
            claimed_at=None if claim is None else created + timedelta(minutes=claim),
            first_answer_at=None if answer is None else created + timedelta(minutes=answer)))
    for at in (BEFORE, AFTER):  # outside the quarter, whatever they say
        session.add(Referral(topic="jobs", priority="urgent", channel="telegram",
                             status="claimed", created_at=at, updated_at=at,
                             claimed_at=at + timedelta(days=3)))
    await session.commit()


async def test_campaigns_bring_starts_and_first_users_in_the_quarter(
    session: AsyncSession,
) -> None:
    quarter = await reach.campaigns(session, Q1)
    assert quarter == [
        reach.CampaignReach("poster_kukes", "Postera Kukës", started=5, users=3),
        reach.CampaignReach("tiktok_has", "TikTok Has", started=3, users=2),
        reach.CampaignReach("school_tropoje", "Shkolla Tropojë", started=0, users=0),
        reach.CampaignReach(reach.UNKNOWN, "", started=2, users=0),
    ]
    ever = {row.code: (row.started, row.users) for row in await reach.campaigns(session)}
    assert ever == {"poster_kukes": (6, 4), "tiktok_has": (4, 3), "school_tropoje": (0, 0),
                    None: (2, 0)}


async def test_new_users_by_channel_and_language_count_both_ends_of_the_quarter(
    session: AsyncSession,
) -> None:
    new = await reach.new_users(session, Q1)
    assert new == reach.NewUsers(total=8, by_channel={"telegram": 5, "whatsapp": 3},
                                 by_language={"sq": 6, "en": 2})
    assert list(new.by_channel) == ["telegram", "whatsapp"]  # largest first
    assert (await reach.new_users(session, Period(end=BEFORE.date()))).total == 1
    assert (await reach.new_users(session)).total == len(USERS)


async def test_referral_funnel_of_the_quarter(session: AsyncSession) -> None:
    made = await funnel.referrals(session, Q1)
    assert made.total == 7
    assert made.by_status == {"closed": 3, "claimed": 1, "contacted": 1, "new": 1,
                              "withdrawn": 1}
    assert next(iter(made.by_status)) == "closed"
    assert made.by_outcome == {"enrolled_training": 1, "legal_migration_counselling": 1,
                               "national_referral_mechanism_or_police": 1}
    assert made.by_topic == {"migration": 3, "jobs": 2, "trainings": 2}
    assert made.by_priority == {"normal": 3, "urgent": 3, "high": 1}
    assert made.by_channel == {"telegram": 5, "whatsapp": 2}
    assert made.by_partner == {"Policia Kukës": 1, "Qendra VET": 1}
    assert (await funnel.referrals(session, ALL_TIME)).by_priority["urgent"] == 5
    assert suppress_counts(made.by_topic) == {"migration": "<5", "jobs": "<5", "trainings": "<5"}


async def test_time_to_claim_and_to_first_answer_by_priority(session: AsyncSession) -> None:
    took = {row.priority: row for row in await timings.by_priority(session, Q1)}
    assert list(took) == ["urgent", "high", "normal"]
    assert took["urgent"].to_claim == timings.Spread(count=3, median=10.0, p90=26.0)
    assert took["urgent"].to_first_answer == timings.Spread(count=2, median=15.0, p90=19.0)
    assert took["high"].to_claim == timings.Spread(count=1, median=60.0, p90=60.0)
    assert took["high"].to_first_answer == timings.Spread(count=1, median=90.0, p90=90.0)
    assert took["normal"].to_claim == timings.Spread(count=2, median=360.0, p90=552.0)
    assert took["normal"].to_first_answer == timings.Spread(count=1, median=180.0, p90=180.0)
    empty = await timings.by_priority(session, Period.quarter(2027, 1))
    assert [row.to_claim for row in empty] == [timings.Spread(0, None, None)] * 3


async def test_the_summary_is_plain_json_and_the_export_has_no_contact(
    session: AsyncSession,
) -> None:
    import json

    made = await summary(session, Q1, datetime(2026, 4, 2, 8, 0, tzinfo=UTC), None)
    data = json.loads(json.dumps(made.as_json()))
    assert data["period"] == {"from": "2026-01-01", "to": "2026-03-31"}
    assert data["generated_at"] == "2026-04-02T08:00:00+00:00"
    assert data["referrals"]["by_outcome"]["enrolled_training"] == 1
    assert data["campaigns"][0] == {"code": "poster_kukes", "name": "Postera Kukës",
                                    "started": 5, "users": 3}
    assert data["timings"][0]["to_claim"] == {"count": 3, "median": 10.0, "p90": 26.0}
    exported = await rows.export_rows(session, Q1)
    assert len(exported) == 7
    assert all(set(row) == set(rows.EXPORT_COLUMNS) for row in exported)
    assert "+355691234567" not in json.dumps(exported) + json.dumps(data)
    listed = await rows.referral_list(session, "closed")
    assert [row[4] for row in listed] == ["closed"] * 3
