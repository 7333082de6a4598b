"""Per campaign, what its link brought in a period, step by step: started (each opening of the
bot by the link) → new users (whose first contact came by it) → talked to the bot (of those, who
wrote 2 or more messages in the period) → asked for a person (who made a referral in the
period) → referral closed → positive outcome (a closed referral whose outcome is one of
:data:`POSITIVE`).

Every step after "started" counts distinct young people of the campaign's new users of the
period, so each is at most the one before it (except "started", which counts openings).

Two limits of the data as kept today:

- "Talked to the bot" reads the message log, which retention empties after ``RETENTION_DAYS``;
  for a period that starts before the log's horizon (``log_kept_from``) the step is ``None``
  ("not counted"), never an undercount.
- A young person who deletes their data takes their user row with them (their referrals stay,
  pointing at no one); their steps were kept as counts first (:mod:`reports.kept`) and are
  added back, so the figures of the period they were in do not change.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Campaign, CampaignEvent, MessageLogEntry, Referral, User
from referrals.lifecycle import Status
from reports import kept
from reports.funnel_steps import POSITIVE, TALKED
from reports.period import ALL_TIME, Period
from reports.reach import STARTED, UNKNOWN


@dataclass(frozen=True)
class CampaignFunnel:
    """One campaign (``code`` None: the codes of no campaign, which only have starts)."""

    code: str | None
    name: str
    started: int
    new_users: int
    talked: int | None
    asked: int
    closed: int
    positive: int


async def per_campaign(
    session: AsyncSession, period: Period = ALL_TIME, log_kept_from: datetime | None = None,
) -> list[CampaignFunnel]:
    """Every campaign, oldest first, then a row for unknown codes if any were started.

    ``log_kept_from``: the oldest instant the message log still covers (None: all of it)."""
    cohort = [User.first_campaign_id.is_not(None), *period.where(User.created_at)]

    async def grouped(query: Select[tuple[int | None, int]]) -> dict[int | None, int]:
        return {cid: count for cid, count in (await session.execute(query)).all()}

    started = await grouped(
        select(CampaignEvent.campaign_id, func.count())
        .where(CampaignEvent.kind == STARTED, *period.where(CampaignEvent.created_at))
        .group_by(CampaignEvent.campaign_id))
    new = await grouped(
        select(User.first_campaign_id, func.count()).where(*cohort)
        .group_by(User.first_campaign_id))

    talked: dict[int | None, int] | None = None
    starts = period.starts_at
    if log_kept_from is None or (starts is not None and starts >= log_kept_from):
        writers = (
            select(MessageLogEntry.user_id)
            .where(MessageLogEntry.direction == "in", *period.where(MessageLogEntry.created_at))
            .group_by(MessageLogEntry.user_id)
            .having(func.count() >= TALKED)
            .subquery())
        talked = await grouped(
            select(User.first_campaign_id, func.count())
            .join(writers, writers.c.user_id == User.id).where(*cohort)
            .group_by(User.first_campaign_id))

    async def with_referral(*conditions: ColumnElement[bool]) -> dict[int | None, int]:
        return await grouped(
            select(User.first_campaign_id, func.count(distinct(User.id)))
            .join(Referral, Referral.user_id == User.id)
            .where(*cohort, *period.where(Referral.created_at), *conditions)
            .group_by(User.first_campaign_id))

    async def with_kept(counts: dict[int | None, int], figure: str) -> dict[int | None, int]:
        total = dict(counts)
        for cid, count in (await kept.kept(session, figure, period)).items():
            total[int(cid)] = total.get(int(cid), 0) + count
        return total

    new = await with_kept(new, kept.CAMPAIGN_USERS)
    if talked is not None:
        talked = await with_kept(talked, kept.CAMPAIGN_TALKED)
    asked = await with_kept(await with_referral(), kept.CAMPAIGN_ASKED)
    closed = await with_kept(await with_referral(Referral.status == Status.CLOSED.value),
                             kept.CAMPAIGN_CLOSED)
    positive = await with_kept(await with_referral(Referral.status == Status.CLOSED.value,
                                                   Referral.outcome.in_(sorted(POSITIVE))),
                               kept.CAMPAIGN_POSITIVE)
    listed = (await session.execute(
        select(Campaign.id, Campaign.code, Campaign.name).order_by(Campaign.id))).all()
    rows = [CampaignFunnel(
        code=code, name=name, started=started.get(cid, 0), new_users=new.get(cid, 0),
        talked=None if talked is None else talked.get(cid, 0), asked=asked.get(cid, 0),
        closed=closed.get(cid, 0), positive=positive.get(cid, 0),
    ) for cid, code, name in listed]
    if started.get(None):
        rows.append(CampaignFunnel(UNKNOWN, "", started[None], 0, None if talked is None else 0,
                                   0, 0, 0))
    return rows
