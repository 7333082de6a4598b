"""The programme's counts per opportunity, for the console's reports: how often it was shown,
how many said "I'm interested", the referrals about it and their outcomes, and its alerts sent
and skipped (by reason).

The conversation and the alerts broadcast write these facts into tables of their own; this
module reads them by name, so it works on whichever of them a database has. A figure whose table
or column is not there is ``None`` ("not counted on this database"), never a made-up zero:

- ``opportunity_events(opportunity_id, kind, created_at)``: one row a ``view`` (the opportunity
  shown in a list) and one an ``interested`` press;
- ``referrals.opportunity_id``: the opportunity a referral is about (its ``outcome`` once
  closed); a referral belongs to the period it was created in;
- ``alert_deliveries(opportunity_id, status, reason, decided_at)``: what the broadcast did for
  each subscriber: ``queued`` (the alert is in the outbox: sent), ``skipped`` with a reason;
  ``waiting`` (held for the person's next daily alert) is neither yet.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, TableClause, column, func, inspect, select, table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.storage.catalogue import Opportunity
from bot.storage.models import UTCDateTime
from reports.counts import ordered
from reports.period import ALL_TIME, Period

EVENTS = table("opportunity_events", column("opportunity_id"), column("kind"),
               column("created_at", UTCDateTime()))
REFERRALS = table("referrals", column("opportunity_id"), column("outcome"),
                  column("created_at", UTCDateTime()))
DELIVERIES = table("alert_deliveries", column("opportunity_id"), column("status"),
                   column("reason"), column("decided_at", UTCDateTime()))
SENT, SKIPPED = "queued", "skipped"


@dataclass(frozen=True)
class OpportunityCounts:
    id: str
    kind: str
    title_sq: str
    views: int | None
    interested: int | None
    referrals: int | None
    outcomes: dict[str, int] | None
    """Closed referrals about it, by outcome, largest first."""
    alerts_sent: int | None
    alerts_skipped: dict[str, int] | None
    """By reason (``stopped``, ``no_template`` …), largest first."""


async def per_opportunity(
    session: AsyncSession, period: Period = ALL_TIME
) -> list[OpportunityCounts]:
    """Every opportunity of the catalogue (by id) with what happened to it in the period."""
    present = await session.run_sync(_present)
    events = await _grouped(session, present, EVENTS, "kind", "created_at", period)
    referrals = await _grouped(session, present, REFERRALS, None, "created_at", period)
    outcomes = await _grouped(session, present, REFERRALS, "outcome", "created_at", period)
    alerts = await _grouped(session, present, DELIVERIES, "status", "decided_at", period)
    skipped = await _grouped(session, present, DELIVERIES, "reason", "decided_at", period,
                             DELIVERIES.c.status == SKIPPED)
    listed = (await session.execute(
        select(Opportunity.id, Opportunity.kind, Opportunity.title_sq).order_by(Opportunity.id)
    )).all()

    def one(found: dict[tuple[str, str], int] | None, key: str, value: str = "") -> int | None:
        return None if found is None else found.get((key, value), 0)

    def by_value(found: dict[tuple[str, str], int] | None, key: str) -> dict[str, int] | None:
        return None if found is None else ordered(
            {value: count for (opportunity, value), count in found.items() if opportunity == key})

    return [OpportunityCounts(
        id=key, kind=kind, title_sq=title, views=one(events, key, "view"),
        interested=one(events, key, "interested"), referrals=one(referrals, key),
        outcomes=by_value(outcomes, key), alerts_sent=one(alerts, key, SENT),
        alerts_skipped=by_value(skipped, key),
    ) for key, kind, title in listed]


def _present(session: Session) -> dict[str, set[str]]:
    """The columns of each table read here, for the tables this database has."""
    inspector = inspect(session.connection())
    return {name: {c["name"] for c in inspector.get_columns(name)}
            for name in (EVENTS.name, REFERRALS.name, DELIVERIES.name)
            if inspector.has_table(name)}


async def _grouped(
    session: AsyncSession, present: Mapping[str, set[str]], source: TableClause,
    by: str | None, when: str, period: Period, *conditions: ColumnElement[bool],
) -> dict[tuple[str, str], int] | None:
    """Rows of ``source`` counted per (opportunity id, value of ``by``: "" without one),
    in the period; None when the database has not the table or its columns."""
    if not {c for c in (by, when, "opportunity_id") if c} <= present.get(source.name, set()):
        return None
    grouping = [source.c.opportunity_id, *([source.c[by]] if by else [])]
    query = select(*grouping, func.count()).where(
        *(c.is_not(None) for c in grouping), *period.where(source.c[when]), *conditions,
    ).group_by(*grouping)
    rows = (await session.execute(query)).all()
    return {(str(row[0]), str(row[1]) if by else ""): int(row[-1]) for row in rows}
