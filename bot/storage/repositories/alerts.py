"""Opt-in alerts: each person's subscriptions, and the broadcasts' delivery rows (one per
opportunity and person, unique, written with the outbox row they stand for)."""

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.storage.alerts import ANY, AlertBroadcast, AlertDelivery, AlertSubscription
from bot.storage.catalogue import Opportunity
from bot.storage.models import Referral, User

_deliveries = cast(Table, AlertDelivery.__table__)


class AlertRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # A person's subscriptions.

    async def subscribe(self, user_id: int, kind: str, sector: str, municipality: str) -> bool:
        """Keep the wish (once); False when it was kept already."""
        found = await self._session.scalar(select(AlertSubscription.id).where(
            AlertSubscription.user_id == user_id, AlertSubscription.kind == kind,
            AlertSubscription.sector == sector, AlertSubscription.municipality == municipality))
        if found is not None:
            return False
        self._session.add(AlertSubscription(user_id=user_id, kind=kind, sector=sector,
                                            municipality=municipality))
        await self._session.flush()
        return True

    async def of_user(self, user_id: int) -> Sequence[AlertSubscription]:
        query = select(AlertSubscription).where(AlertSubscription.user_id == user_id)
        return (await self._session.scalars(query.order_by(AlertSubscription.id))).all()

    async def remove(self, user_id: int, subscription_id: int | None = None) -> int:
        """Remove one of the person's subscriptions (every one without an id); how many."""
        query = delete(AlertSubscription).where(AlertSubscription.user_id == user_id)
        if subscription_id is not None:
            query = query.where(AlertSubscription.id == subscription_id)
        result = await self._session.execute(query)
        return int(result.rowcount)  # type: ignore[attr-defined]

    # Broadcasts.

    async def due(self, today: date) -> list[str]:
        """Published open opportunities whose broadcast has not finished; each one that has
        not started is started now."""
        query = (
            select(Opportunity.id, AlertBroadcast.opportunity_id)
            .outerjoin(AlertBroadcast, AlertBroadcast.opportunity_id == Opportunity.id)
            .where(Opportunity.published.is_(True),
                   or_(Opportunity.deadline.is_(None), Opportunity.deadline >= today),
                   AlertBroadcast.finished_at.is_(None))
            .order_by(Opportunity.id)
        )
        rows = (await self._session.execute(query)).all()
        for opportunity_id, started in rows:
            if started is None:
                self._session.add(AlertBroadcast(opportunity_id=opportunity_id))
        await self._session.flush()
        return [row[0] for row in rows]

    async def finish(self, opportunity_id: str, now: datetime) -> None:
        await self._session.execute(
            update(AlertBroadcast).where(AlertBroadcast.opportunity_id == opportunity_id)
            .values(finished_at=now))

    async def undecided(self, opportunity: Opportunity, limit: int) -> list[int]:
        """Subscribers it matches (kind, a sector of it, a place of it: each or "any") after
        the last one decided, the lowest ids first. The broadcast decides them in id order and
        commits whole batches, so everyone up to the highest id with a delivery row has one:
        a keyset that stays as fast at the 10,000th subscriber as at the first (a NOT EXISTS
        over the growing delivery rows did not, on a PostgreSQL with fresh statistics)."""
        sub = AlertSubscription
        where = [sub.kind.in_((ANY, opportunity.kind)),
                 sub.sector.in_((ANY, *opportunity.sectors))]
        if opportunity.municipalities:
            where.append(sub.municipality.in_((ANY, *opportunity.municipalities)))
        last = await self._session.scalar(select(func.max(AlertDelivery.user_id)).where(
            AlertDelivery.opportunity_id == opportunity.id))
        query = (select(sub.user_id).where(*where, sub.user_id > (last or 0))
                 .group_by(sub.user_id).order_by(sub.user_id).limit(limit))
        return list((await self._session.scalars(query)).all())

    async def users(self, ids: Collection[int]) -> Sequence[User]:
        return (await self._session.scalars(
            select(User).where(User.id.in_(sorted(ids))).order_by(User.id))).all()

    async def in_referrals(self, ids: Collection[int], priority: str,
                           statuses: Iterable[str]) -> set[int]:
        """Of ``ids``, those with a referral of ``priority`` in one of ``statuses``."""
        query = select(Referral.user_id).where(
            Referral.user_id.in_(sorted(ids)), Referral.priority == priority,
            Referral.status.in_(sorted(statuses)))
        return {int(u) for u in (await self._session.scalars(query)).all() if u is not None}

    async def alerted_since(self, ids: Collection[int], since: datetime) -> set[int]:
        query = select(AlertDelivery.user_id).where(
            AlertDelivery.user_id.in_(sorted(ids)), AlertDelivery.status == "queued",
            AlertDelivery.decided_at >= since).distinct()
        return {int(u) for u in (await self._session.scalars(query)).all() if u is not None}

    async def record(self, rows: list[dict[str, Any]]) -> None:
        """Delivery rows (``opportunity_id``, ``user_id``, ``status``, ``reason``,
        ``decided_at``), in one statement; a second row for the same pair fails the
        transaction, outbox rows and all."""
        if rows:
            await self._session.execute(insert(_deliveries), rows)

    async def waiting(self, before: datetime, limit: int) -> dict[int, list[str]]:
        """People with opportunities waiting for their next alert whose last one was before
        ``before``: their waiting opportunity ids, oldest first."""
        mine, queued = AlertDelivery, aliased(AlertDelivery)
        recent = exists().where(queued.user_id == mine.user_id, queued.status == "queued",
                                queued.decided_at >= before)
        people = (select(mine.user_id).where(mine.status == "waiting",
                                             mine.user_id.is_not(None), ~recent)
                  .group_by(mine.user_id).order_by(mine.user_id).limit(limit))
        ids = list((await self._session.scalars(people)).all())
        if not ids:
            return {}
        query = select(AlertDelivery.user_id, AlertDelivery.opportunity_id).where(
            AlertDelivery.user_id.in_(ids), AlertDelivery.status == "waiting",
        ).order_by(AlertDelivery.user_id, AlertDelivery.id)
        found: dict[int, list[str]] = {}
        for user_id, opportunity_id in (await self._session.execute(query)).all():
            found.setdefault(int(user_id), []).append(opportunity_id)
        return found

    async def settle(self, user_id: int, opportunity_ids: Collection[str], status: str,
                     reason: str | None, now: datetime) -> None:
        """Waiting rows of the person move on (queued in the grouped alert, or skipped)."""
        await self._session.execute(
            update(AlertDelivery).where(
                AlertDelivery.user_id == user_id, AlertDelivery.status == "waiting",
                AlertDelivery.opportunity_id.in_(sorted(opportunity_ids)))
            .values(status=status, reason=reason, decided_at=now))

    async def counts(self) -> dict[str, dict[str, int]]:
        """Per opportunity, how many alerts were queued, wait, or were skipped and why
        (``skipped:no_template`` …): for the programme's reports."""
        label = func.coalesce(AlertDelivery.status + ":" + AlertDelivery.reason,
                              AlertDelivery.status)
        query = (select(AlertDelivery.opportunity_id, label, func.count())
                 .group_by(AlertDelivery.opportunity_id, label))
        found: dict[str, dict[str, int]] = {}
        for opportunity_id, what, count in (await self._session.execute(query)).all():
            found.setdefault(opportunity_id, {})[str(what)] = int(count)
        return found
