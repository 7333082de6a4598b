"""Reach: what each campaign link brought, and how many young people came, by channel and
language.

A campaign "start" is an event written each time someone opens the bot by its link; the users
it "brought" are those whose first contact came by it. People who deleted their data since are
still counted (:mod:`reports.kept`). Starts by codes no campaign has (a typo on
a poster, an old link) are counted under :data:`UNKNOWN`.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Campaign, CampaignEvent, User
from reports import kept
from reports.counts import count_by
from reports.period import ALL_TIME, Period

STARTED = "started"
"""The kind of campaign event a link's start writes (the engine, on first words by a link)."""
UNKNOWN: str | None = None
"""The :attr:`CampaignReach.code` of starts by codes no campaign has."""


@dataclass(frozen=True)
class CampaignReach:
    """One campaign (``code`` None: the codes of no campaign) and what it brought."""

    code: str | None
    name: str
    started: int
    users: int


@dataclass(frozen=True)
class NewUsers:
    """Young people whose first contact fell in the period."""

    total: int
    by_channel: dict[str, int]
    by_language: dict[str, int]


async def campaigns(session: AsyncSession, period: Period = ALL_TIME) -> list[CampaignReach]:
    """Every campaign, oldest first, with its starts and the users it brought first in the
    period; then a row for unknown codes if any were started."""
    started: dict[int | None, int] = {cid: count for cid, count in await session.execute(
        select(CampaignEvent.campaign_id, func.count())
        .where(CampaignEvent.kind == STARTED, *period.where(CampaignEvent.created_at))
        .group_by(CampaignEvent.campaign_id)
    )}
    brought: dict[int | None, int] = {cid: count for cid, count in await session.execute(
        select(User.first_campaign_id, func.count())
        .where(User.first_campaign_id.is_not(None), *period.where(User.created_at))
        .group_by(User.first_campaign_id)
    )}
    for cid, count in (await kept.kept(session, kept.CAMPAIGN_USERS, period)).items():
        brought[int(cid)] = brought.get(int(cid), 0) + count
    listed = (await session.execute(
        select(Campaign.id, Campaign.code, Campaign.name).order_by(Campaign.id)
    )).all()
    rows = [CampaignReach(code, name, started.get(cid, 0), brought.get(cid, 0))
            for cid, code, name in listed]
    if started.get(None):
        rows.append(CampaignReach(UNKNOWN, "", started[None], 0))
    return rows


async def new_users(session: AsyncSession, period: Period = ALL_TIME) -> NewUsers:
    """New young people in the period, by their channel and the language they use now (those
    who deleted their data since, by the language they had)."""
    conditions = period.where(User.created_at)
    total = await session.scalar(select(func.count(User.id)).where(*conditions)) or 0
    total += sum((await kept.kept(session, kept.USERS, period)).values())
    return NewUsers(
        total,
        kept.added(await count_by(session, User.channel, conditions),
                   await kept.kept(session, kept.USERS_BY_CHANNEL, period)),
        kept.added(await count_by(session, User.locale, conditions),
                   await kept.kept(session, kept.USERS_BY_LANGUAGE, period)))
