"""What became of the referrals made in a period: counts by status, outcome, topic, priority,
channel and partner organisation, and who asked (municipality, age band, gender: fields a young
person's deletion of their data erases), each one GROUP BY in the database.

A referral belongs to the period it was created in; its status and outcome are as they are now.
Only closed referrals have an outcome, and only some a partner or a municipality, so those
breakdowns add up to fewer than :attr:`ReferralFunnel.total`.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Referral
from reports import kept
from reports.counts import count_by
from reports.period import ALL_TIME, Period


@dataclass(frozen=True)
class ReferralFunnel:
    total: int
    by_status: dict[str, int]
    by_outcome: dict[str, int]
    by_topic: dict[str, int]
    by_priority: dict[str, int]
    by_channel: dict[str, int]
    by_partner: dict[str, int]
    by_municipality: dict[str, int]
    by_age_band: dict[str, int]
    by_gender: dict[str, int]
    """Who they are, as they told the referral's questions (erased with their data, but
    counted still: :mod:`reports.kept`)."""


async def referrals(session: AsyncSession, period: Period = ALL_TIME) -> ReferralFunnel:
    """The referrals created in the period, broken down every way a project manager asks."""
    conditions = period.where(Referral.created_at)
    total = await session.scalar(select(func.count(Referral.id)).where(*conditions)) or 0

    async def by(column: object) -> dict[str, int]:
        return await count_by(session, column, conditions)

    async def who(column: object, field: str) -> dict[str, int]:
        """Erased from the referrals of people who deleted their data: kept as counts."""
        return kept.added(await by(column), await kept.kept(session, kept.REFERRAL_BY[field],
                                                            period))

    return ReferralFunnel(
        total=total, by_status=await by(Referral.status), by_outcome=await by(Referral.outcome),
        by_topic=await by(Referral.topic), by_priority=await by(Referral.priority),
        by_channel=await by(Referral.channel), by_partner=await by(Referral.partner),
        by_municipality=await who(Referral.municipality, "municipality"),
        by_age_band=await who(Referral.age_band, "age_band"),
        by_gender=await who(Referral.gender, "gender"),
    )
