"""Reading what a young person's deletion is about to take from the reports, and adding it to
the counters that outlive them (:mod:`bot.storage.kept_counts`; which counters, in
:mod:`reports.kept`)."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import Date, Integer, String, Table, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.kept_counts import KeptCount
from bot.storage.models import MessageLogEntry, Referral, User
from bot.storage.profiles import UserProfile

Tally = tuple[str, str, date, date]
"""One counter: figure, key, day, day reached."""


@dataclass(frozen=True)
class ReferralFacts:
    created_on: date
    status: str
    outcome: str | None
    municipality: str | None
    age_band: str | None
    gender: str | None


@dataclass(frozen=True)
class PersonFacts:
    """What the reports count of one young person, read just before their data goes."""

    created_on: date
    channel: str
    locale: str
    first_campaign_id: int | None
    talked_on: date | None
    """When they wrote the message that made them "talked to the bot", if they did."""
    referrals: tuple[ReferralFacts, ...]
    profile: tuple[str, str | None, str | None, str | None] | None
    """status, municipality, age band, gender of the optional profile question."""


def day_of(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()


_TABLE = cast(Table, KeptCount.__table__)
_ADD = text(
    f"INSERT INTO {_TABLE.name} (figure, key, day, reached, count) "
    "VALUES (:figure, :key, :day, :reached, :count) "
    "ON CONFLICT (figure, key, day, reached) "
    f"DO UPDATE SET count = {_TABLE.name}.count + excluded.count"
).bindparams(bindparam("figure", type_=String()), bindparam("key", type_=String()),
             bindparam("day", type_=Date()), bindparam("reached", type_=Date()),
             bindparam("count", type_=Integer()))
"""The same upsert on PostgreSQL and SQLite 3.24+."""


class KeptCountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def facts(self, user: User, talked: int) -> PersonFacts:
        """``talked``: how many messages of theirs make "talked to the bot"."""
        nth = await self._session.scalar(
            select(MessageLogEntry.created_at)
            .where(MessageLogEntry.user_id == user.id, MessageLogEntry.direction == "in")
            .order_by(MessageLogEntry.id).offset(talked - 1).limit(1))
        referrals = (await self._session.execute(
            select(Referral.created_at, Referral.status, Referral.outcome, Referral.municipality,
                   Referral.age_band, Referral.gender)
            .where(Referral.user_id == user.id).order_by(Referral.id))).all()
        profile = (await self._session.execute(
            select(UserProfile.status, UserProfile.municipality, UserProfile.age_band,
                   UserProfile.gender).where(UserProfile.user_id == user.id))).first()
        return PersonFacts(
            created_on=day_of(user.created_at), channel=user.channel, locale=user.locale,
            first_campaign_id=user.first_campaign_id,
            talked_on=None if nth is None else day_of(nth),
            referrals=tuple(ReferralFacts(day_of(made), *rest) for made, *rest in referrals),
            profile=None if profile is None else (profile[0], profile[1], profile[2], profile[3]),
        )

    async def add(self, tallies: Counter[Tally]) -> None:
        """Add each counter (by how many times it is in ``tallies``) in one statement."""
        if tallies:
            await self._session.execute(_ADD, [
                {"figure": figure, "key": key, "day": day, "reached": reached, "count": count}
                for (figure, key, day, reached), count in sorted(tallies.items())])
