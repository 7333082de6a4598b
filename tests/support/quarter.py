"""A quarter seeded through the app's models: three campaigns in Kukës, Has and Tropojë, the
young people they brought, what they wrote and the referrals they made, with rows just outside
the quarter; the integration and e2e tests of the published report read it."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import CampaignEvent, MessageLogEntry, Referral, User
from bot.storage.repositories.campaigns import CampaignRepository
from reports.period import Period

Q3 = Period.quarter(2026, 3)
FIRST = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
LAST = datetime(2026, 9, 30, 23, 30, tzinfo=UTC)
BEFORE = datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)
AFTER = datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
GENERATED = datetime(2026, 10, 2, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    """A young person of the quarter and what they did: ``messages`` they wrote in it;
    ``referrals``: (status, outcome, partner, priority) of each they made in it."""

    campaign: str | None
    channel: str
    locale: str
    messages: int
    referrals: tuple[tuple[str, str | None, str | None, str], ...] = ()
    municipality: str | None = None
    age_band: str | None = None
    topic: str = "trainings"


def _closed(outcome: str, partner: str | None = None, priority: str = "normal") -> tuple[
        str, str | None, str | None, str]:
    return ("closed", outcome, partner, priority)


KUKES = [  # 12 new users by the Kukës poster: 9 talked, 7 asked (one twice), 6 closed, 5 good
    *[Person("poster_kukes", "telegram", "sq", 2, (_closed(o, "Qendra VET"),), "kukes",
             "18_24", "jobs")
      for o in ("enrolled_training", "enrolled_training", "enrolled_training",
                "job_interview", "job_interview")],
    Person("poster_kukes", "telegram", "sq", 3, (_closed("no_answer"),), "kukes", "18_24",
           "jobs"),
    Person("poster_kukes", "telegram", "sq", 2, (("claimed", None, None, "normal"),
                                                 ("new", None, None, "normal")),
           "kukes", "18_24", "jobs"),
    Person("poster_kukes", "telegram", "sq", 2), Person("poster_kukes", "telegram", "en", 2),
    Person("poster_kukes", "telegram", "sq", 1), Person("poster_kukes", "telegram", "sq", 1),
    Person("poster_kukes", "telegram", "en", 0),
]
HAS = [  # 6 by the Has TikTok ad: 5 talked, 3 asked, 2 closed, 1 good
    Person("tiktok_has", "whatsapp", "sq", 2,
           (_closed("legal_migration_counselling", "Migrim i Ligjshëm"),), "has", "25_29"),
    Person("tiktok_has", "whatsapp", "sq", 2, (_closed("declined"),), "has", "25_29"),
    Person("tiktok_has", "whatsapp", "en", 4, (("contacted", None, None, "urgent"),), "has",
           "25_29"),
    Person("tiktok_has", "whatsapp", "sq", 2), Person("tiktok_has", "whatsapp", "sq", 2),
    Person("tiktok_has", "whatsapp", "en", 1),
]
TROPOJE = [  # 3 by the Tropojë school visit: 2 talked, 2 asked, 1 closed, none good
    Person("school_tropoje", "web", "sq", 2, (_closed("not_eligible", priority="urgent"),),
           "tropoje", "16_17"),
    Person("school_tropoje", "web", "en", 2, (("withdrawn", None, None, "normal"),),
           "tropoje", "16_17"),
    Person("school_tropoje", "web", "sq", 1),  # asks only after the quarter (below)
]
DIRECT = [  # 4 who came by no campaign; one asked, without saying where they live
    Person(None, "telegram", "sq", 2, (("new", None, None, "normal"),)),
    *[Person(None, "telegram", "sq", 1) for _ in range(3)],
]
PEOPLE = [*KUKES, *HAS, *TROPOJE, *DIRECT]
REPEATED_STARTS = {"poster_kukes": 2, "tiktok_has": 2}
"""Openings by the link by someone who had come already."""


async def seed(session: AsyncSession) -> None:
    repository = CampaignRepository(session)
    campaigns = {code: repository.add(code, name) for code, name in (
        ("poster_kukes", "Postera Kukës"), ("tiktok_has", "TikTok Has"),
        ("school_tropoje", "Shkolla Tropojë"))}
    await session.flush()
    step = (LAST - FIRST) / (len(PEOPLE) + 1)
    for number, person in enumerate(PEOPLE):
        at = FIRST + step * number
        campaign = campaigns[person.campaign] if person.campaign else None
        user = User(channel=person.channel, address=f"q3-{number}", locale=person.locale,
                    first_campaign_id=campaign.id if campaign else None, created_at=at,
                    last_seen_at=at)
        session.add(user)
        await session.flush()
        if campaign is not None:
            session.add(CampaignEvent(kind="started", code=campaign.code, channel=user.channel,
                                      campaign_id=campaign.id, created_at=at))
        for minute in range(person.messages):
            session.add_all([
                MessageLogEntry(user_id=user.id, direction="in", text="pyetje",
                                created_at=at + timedelta(minutes=minute)),
                MessageLogEntry(user_id=user.id, direction="out", text="përgjigje",
                                created_at=at + timedelta(minutes=minute, seconds=5))])
        for hour, (status, outcome, partner, priority) in enumerate(person.referrals, 1):
            made = at + timedelta(hours=hour)
            claimed = status not in ("new", "withdrawn")
            session.add(Referral(
                user_id=user.id, topic=person.topic, priority=priority, channel=user.channel,
                status=status, outcome=outcome, partner=partner, created_at=made,
                updated_at=made, municipality=person.municipality, age_band=person.age_band,
                gender="female" if number % 2 else "male", contact="+355691234567",
                claimed_at=made + timedelta(minutes=30 if priority == "normal" else 5)
                if claimed else None,
                first_answer_at=made + timedelta(minutes=60) if claimed else None))
        if person is TROPOJE[-1]:
            session.add(Referral(user_id=user.id, topic="jobs", channel="web", status="new",
                                 created_at=AFTER + timedelta(days=1),
                                 updated_at=AFTER + timedelta(days=1)))
    for code, times in REPEATED_STARTS.items():
        session.add_all(CampaignEvent(kind="started", code=code, channel="telegram",
                                      campaign_id=campaigns[code].id, created_at=LAST)
                        for _ in range(times))
    session.add_all(CampaignEvent(kind="started", code="postr_kukes", channel="telegram",
                                  created_at=LAST) for _ in range(2))  # a typo on a poster
    for at, code in ((BEFORE, "poster_kukes"), (AFTER, "tiktok_has")):  # just outside
        user = User(channel="telegram", address=f"outside-{code}", locale="sq",
                    first_campaign_id=campaigns[code].id, created_at=at, last_seen_at=at)
        session.add(user)
        await session.flush()
        session.add(CampaignEvent(kind="started", code=code, channel="telegram",
                                  campaign_id=campaigns[code].id, created_at=at))
        session.add_all(MessageLogEntry(user_id=user.id, direction="in", text="x", created_at=at)
                        for _ in range(3))
        session.add(Referral(user_id=user.id, topic="jobs", channel="telegram",
                             status="closed", outcome="job_interview", municipality="kukes",
                             created_at=at, updated_at=at, claimed_at=at, first_answer_at=at))
    await session.commit()
