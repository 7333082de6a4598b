"""How fast staff were: minutes from a referral's creation to its claim and to the first staff
answer relayed to the young person, as median, 90th percentile and count, per priority, and per
month (of the referral's creation, UTC) and priority.

Percentiles interpolate between the two nearest values (as PostgreSQL's ``percentile_cont``
and a spreadsheet's ``PERCENTILE.INC`` do). Referrals not yet claimed or answered are left out
of that measure, so each count says how many the figures stand on.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Referral
from referrals.lifecycle import PRIORITY_ORDER
from reports.period import ALL_TIME, Period


@dataclass(frozen=True)
class Spread:
    """Minutes, rounded to a tenth; ``None`` when nothing was measured."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, minutes: Sequence[float]) -> "Spread":
        ranked = sorted(minutes)
        if not ranked:
            return cls(0, None, None)
        return cls(len(ranked), round(percentile(ranked, 0.5), 1),
                   round(percentile(ranked, 0.9), 1))


@dataclass(frozen=True)
class PriorityTimings:
    priority: str
    to_claim: Spread
    to_first_answer: Spread


@dataclass(frozen=True)
class MonthTimings:
    month: str
    """``YYYY-MM``."""
    priority: str
    to_claim: Spread
    to_first_answer: Spread


def percentile(ranked: Sequence[float], fraction: float) -> float:
    """The value ``fraction`` (0 to 1) of the way up sorted, non-empty ``ranked``."""
    if not ranked:
        raise ValueError("no values")
    position = fraction * (len(ranked) - 1)
    below, above = math.floor(position), math.ceil(position)
    return ranked[below] + (ranked[above] - ranked[below]) * (position - below)


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 60


Minutes = dict[tuple[str, str], list[float]]
"""Measured minutes by (month, priority)."""


async def _measured(session: AsyncSession, period: Period) -> tuple[Minutes, Minutes]:
    """Minutes to claim and to first answer of the period's claimed referrals."""
    rows = (await session.execute(
        select(Referral.priority, Referral.created_at, Referral.claimed_at,
               Referral.first_answer_at)
        .where(Referral.claimed_at.is_not(None), *period.where(Referral.created_at))
    )).all()
    claim: Minutes = {}
    answer: Minutes = {}
    for level, created, claimed, answered in rows:
        key = (f"{created:%Y-%m}", level)
        for measured, at in ((claim, claimed), (answer, answered)):
            minutes = _minutes(created, at)
            if minutes is not None:
                measured.setdefault(key, []).append(minutes)
    return claim, answer


def _levels(*measured: Minutes) -> list[str]:
    """Every priority, most pressing first, then any other seen."""
    levels = [str(p) for p in PRIORITY_ORDER]
    seen = {level for minutes in measured for _, level in minutes}
    return levels + sorted(seen - set(levels))


def _by_level(measured: Minutes) -> dict[str, list[float]]:
    joined: dict[str, list[float]] = {}
    for (_, level), minutes in measured.items():
        joined.setdefault(level, []).extend(minutes)
    return joined


async def by_priority(
    session: AsyncSession, period: Period = ALL_TIME
) -> list[PriorityTimings]:
    """For the referrals created in the period, one row per priority, most pressing first, and
    every priority listed even when it had none."""
    claim, answer = await _measured(session, period)
    claimed, answered = _by_level(claim), _by_level(answer)
    return [PriorityTimings(level, Spread.of(claimed.get(level, [])),
                            Spread.of(answered.get(level, []))) for level in _levels(claim)]


async def by_month(session: AsyncSession, period: Period = ALL_TIME) -> list[MonthTimings]:
    """For the referrals created in the period, one row per month with a claimed referral and
    priority (most pressing first); months and priorities with none are left out."""
    claim, answer = await _measured(session, period)
    months = sorted({month for month, _ in claim})
    order = {level: place for place, level in enumerate(_levels(claim))}
    return [MonthTimings(month, level, Spread.of(claim[(month, level)]),
                         Spread.of(answer.get((month, level), [])))
            for month in months
            for level in sorted({lv for m, lv in claim if m == month}, key=order.__getitem__)]
