"""Who the bot reaches, from the optional profile question (:mod:`bot.flows.profile`): how many
young people first came in a period were asked, answered or declined, and their answers counted
by municipality, age band and gender (bands only; a step skipped is not counted).

Counts are raw: small cells are suppressed where a report is shown (:mod:`reports.suppression`).
A person who erased their data is no longer counted (their profile went with them).
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import User, UserProfile
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
    return Profiles(
        by_status=await count_by(session, UserProfile.status, conditions),
        by_municipality=await count_by(session, UserProfile.municipality, conditions),
        by_age_band=await count_by(session, UserProfile.age_band, conditions),
        by_gender=await count_by(session, UserProfile.gender, conditions),
    )
