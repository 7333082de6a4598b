"""Counts kept of young people who deleted their data, so a past period's figures stay as they
were reported (the counters: :mod:`bot.storage.kept_counts`).

:func:`tallies` says, for one person about to go, which counters their figures go to: the same
definitions the reports apply to the people still here. :func:`kept` reads a figure back for a
period, to be added to what the live rows give. Referrals themselves stay (with their status,
outcome and times), so only what erasure takes from them is kept: who asked (municipality, age
band, gender).
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.kept_counts import KeptCount
from bot.storage.repositories.kept_counts import PersonFacts, Tally
from referrals.lifecycle import Status
from reports.counts import ordered
from reports.funnel_steps import POSITIVE
from reports.period import Period

USERS, USERS_BY_CHANNEL, USERS_BY_LANGUAGE = "users", "users.channel", "users.language"
CAMPAIGN_USERS, CAMPAIGN_TALKED = "campaign.users", "campaign.talked"
CAMPAIGN_ASKED, CAMPAIGN_CLOSED, CAMPAIGN_POSITIVE = (
    "campaign.asked", "campaign.closed", "campaign.positive")
REFERRAL_BY = {"municipality": "referrals.municipality", "age_band": "referrals.age_band",
               "gender": "referrals.gender"}
PROFILE_BY = {"status": "profiles.status", "municipality": "profiles.municipality",
              "age_band": "profiles.age_band", "gender": "profiles.gender"}
NONE = ""
"""The key of a figure with no value (all users), or of an answer not given."""


def tallies(person: PersonFacts) -> Counter[Tally]:
    """The counters one person's figures go to."""
    came = person.created_on
    found: Counter[Tally] = Counter({
        (USERS, NONE, came, came): 1, (USERS_BY_CHANNEL, person.channel, came, came): 1,
        (USERS_BY_LANGUAGE, person.locale, came, came): 1})
    for referral in person.referrals:
        for field, figure in REFERRAL_BY.items():
            value = getattr(referral, field)
            if value is not None:
                found[(figure, value, referral.created_on, referral.created_on)] += 1
    if person.profile is not None:
        for figure, value in zip(PROFILE_BY.values(), person.profile, strict=True):
            if value is not None:
                found[(figure, value, came, came)] += 1
    if person.first_campaign_id is None:
        return found
    campaign = str(person.first_campaign_id)
    closed = [r for r in person.referrals if r.status == Status.CLOSED.value]
    reached = {
        CAMPAIGN_USERS: came, CAMPAIGN_TALKED: person.talked_on,
        CAMPAIGN_ASKED: _first(r.created_on for r in person.referrals),
        CAMPAIGN_CLOSED: _first(r.created_on for r in closed),
        CAMPAIGN_POSITIVE: _first(r.created_on for r in closed if r.outcome in POSITIVE)}
    for figure, on in reached.items():
        if on is not None:
            found[(figure, campaign, came, on)] += 1
    return found


def _first(days: Iterable[date]) -> date | None:
    return min(days, default=None)


async def kept(session: AsyncSession, figure: str, period: Period) -> dict[str, int]:
    """A figure's kept counts by key, for people (or referrals) of the period: those whose
    step was reached by the period's end, as the live funnel counts them."""
    query = select(KeptCount.key, func.sum(KeptCount.count)).where(KeptCount.figure == figure)
    if period.start is not None:
        query = query.where(KeptCount.day >= period.start)
    if period.end is not None:
        query = query.where(KeptCount.day <= period.end, KeptCount.reached <= period.end)
    rows = (await session.execute(query.group_by(KeptCount.key))).all()
    return {key: int(count) for key, count in rows}


def added(live: dict[str, int], kept_counts: dict[str, int]) -> dict[str, int]:
    """Live counts and kept ones together, in the reports' order; answers not given (kept
    under :data:`NONE`) are left out, as live breakdowns leave out NULL."""
    total = Counter(live)
    total.update({key: count for key, count in kept_counts.items() if key != NONE})
    return ordered(dict(total))
