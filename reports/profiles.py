"""Who the bot reaches, from the optional profile question (:mod:`bot.flows.profile`): how many
young people first came in a period were asked, answered or declined, and their answers counted
by municipality, age band and gender (bands only; a step skipped is not counted).

Counts are raw: small cells are suppressed where a report is shown (:mod:`reports.suppression`).
A person who erased their data is still counted: their profile went with them, its counts were
kept (:mod:`reports.kept`).
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import User
from bot.storage.profiles import UserProfile
from reports import kept
from reports.counts import count_by
from reports.period import ALL_TIME, Period


@dataclass(frozen=True)
class Profiles:
    """The profiles of the young people whose first contact fell in the period."""

    by_status: dict[str, int]
    """``asked`` (and left for another topic), ``answered``, ``declined``."""
    by_municipality: dict[str, int]
    by_age_band: dict[str, int]
    by_gender: dict[str, int]


async def profiles(session: AsyncSession, period: Period = ALL_TIME) -> Profiles:
    """Profiles counted by status and by each answer, for users created in the period."""
    conditions: list[ColumnElement[bool]] = [UserProfile.user_id == User.id,
                                             *period.where(User.created_at)]
    async def by(column: Any, field: str) -> dict[str, int]:
        return kept.added(await count_by(session, column, conditions),
                          await kept.kept(session, kept.PROFILE_BY[field], period))

    return Profiles(
        by_status=await by(UserProfile.status, "status"),
        by_municipality=await by(UserProfile.municipality, "municipality"),
        by_age_band=await by(UserProfile.age_band, "age_band"),
        by_gender=await by(UserProfile.gender, "gender"),
    )
