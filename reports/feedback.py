"""What young people answered when staff closed their request and the bot asked "did this
help?" (the referral's ``feedback`` audit lines, ``yes`` or ``no``), for the referrals created
in a period; a referral answered twice counts its last answer."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Referral, ReferralEvent
from reports.counts import ordered
from reports.period import ALL_TIME, Period

FEEDBACK = "feedback"
"""The kind of audit line the answer is (``bot.handlers.handoff.feedback``)."""


async def helped(session: AsyncSession, period: Period = ALL_TIME) -> dict[str, int]:
    """Referrals of the period by their last "did this help?" answer."""
    last = (select(func.max(ReferralEvent.id))
            .join(Referral, Referral.id == ReferralEvent.referral_id)
            .where(ReferralEvent.kind == FEEDBACK, *period.where(Referral.created_at))
            .group_by(ReferralEvent.referral_id))
    rows = (await session.execute(
        select(ReferralEvent.detail, func.count())
        .where(ReferralEvent.id.in_(last), ReferralEvent.detail.is_not(None))
        .group_by(ReferralEvent.detail))).all()
    return ordered({str(answer): count for answer, count in rows})
