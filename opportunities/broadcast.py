"""The broadcast of newly published opportunities to their subscribers, as ``alert`` rows of
the outbox (the scheduler's job; the senders deliver them within each platform's limits).

Each round first sends the alerts that waited for a person's next day (grouped into one), then
goes through every published, open opportunity whose broadcast has not finished, a batch of
subscribers at a time. A batch is one transaction: the outbox rows and the delivery rows that
record them (unique per opportunity and person) commit together, so a process killed in the
middle leaves whole batches behind it and the next round goes on with the subscribers that
have no delivery row yet: nobody is queued the same alert twice. Who gets nothing, and why, is
:func:`opportunities.alerts.decide`.
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.i18n import Translator
from bot.messages import Outbound
from bot.storage.catalogue import Opportunity
from bot.storage.models import User, utcnow
from bot.storage.unit_of_work import UnitOfWork
from opportunities.alert_message import alert
from opportunities.alerts import ONE_A_DAY, Reach, Skip, Status, Subscriber, decide
from referrals.lifecycle import OPEN, Priority

log = logging.getLogger("youthbot.alerts")

BATCH = 500
"""Subscribers decided in one transaction."""


@dataclass
class Broadcaster:
    unit_of_work: Callable[[], UnitOfWork]
    translators: Mapping[str, Translator]
    reach: Reach
    batch: int = BATCH
    clock: Callable[[], datetime] = utcnow

    async def run(self) -> int:
        """One round; returns how many alerts it put in the outbox."""
        written = await self._grouped()
        async with self.unit_of_work() as uow:
            due = await uow.alerts.due(self.clock().astimezone(UTC).date())
            await uow.commit()
        for opportunity_id in due:
            written += await self._broadcast(opportunity_id)
        return written

    async def _broadcast(self, opportunity_id: str) -> int:
        written = 0
        rendered: dict[str, Outbound] = {}
        """The alert in each language, made once for all subscribers."""
        while True:
            async with self.unit_of_work() as uow:
                now = self.clock()
                opportunity = await uow.catalogue.get(Opportunity, opportunity_id)
                ids = (await uow.alerts.undecided(opportunity, self.batch)
                       if opportunity is not None and _open(opportunity, now) else [])
                if not ids:
                    await uow.alerts.finish(opportunity_id, now)
                    await uow.commit()
                    log.info("broadcast finished", extra={"fields": {
                        "opportunity": opportunity_id, "queued": written}})
                    return written
                assert opportunity is not None
                rows, alerts = [], []
                for user, person in await self._people(uow, ids, now):
                    status, reason = decide(person, self.reach, now)
                    if status is Status.QUEUED:
                        if user.locale not in rendered:
                            rendered[user.locale] = self._alert(user, [opportunity])
                        alerts.append((user, rendered[user.locale]))
                    rows.append({"opportunity_id": opportunity_id, "user_id": user.id,
                                 "status": status.value, "reason": reason, "decided_at": now})
                await uow.outbox.put_apart(alerts, "alert")
                await uow.alerts.record(rows)
                await uow.commit()
                written += len(alerts)

    async def _grouped(self) -> int:
        """The alerts that waited for the person's next day, one for each person."""
        written = 0
        while True:
            async with self.unit_of_work() as uow:
                now = self.clock()
                waiting = await uow.alerts.waiting(now - ONE_A_DAY, self.batch)
                if not waiting:
                    return written
                known = await uow.catalogue.by_ids(
                    Opportunity, {o for ids in waiting.values() for o in ids})
                settled = 0
                for user, person in await self._people(uow, waiting, now):
                    ids = waiting[user.id]
                    current = [known[o] for o in ids if o in known and _open(known[o], now)]
                    gone = [o for o in ids if o not in {c.id for c in current}]
                    if gone:
                        await uow.alerts.settle(user.id, gone, Status.SKIPPED, Skip.EXPIRED, now)
                    status, reason = decide(person, self.reach, now)
                    if not current or status is Status.WAITING:
                        settled += len(gone)
                        continue
                    if status is Status.QUEUED:
                        uow.outbox.put(user.channel, user.address, user,
                                       self._alert(user, current), kind="alert")
                        written += 1
                    await uow.alerts.settle(user.id, [c.id for c in current], status, reason,
                                            now)
                    settled += len(ids)
                await uow.commit()
                if not settled:
                    return written

    async def _people(self, uow: UnitOfWork, ids: Sequence[int] | Mapping[int, Any],
                      now: datetime) -> list[tuple[User, Subscriber]]:
        """The subscribers among ``ids`` who still exist, with what the rules look at."""
        users = await uow.alerts.users(list(ids))
        found = [u.id for u in users]
        urgent = await uow.alerts.in_referrals(found, Priority.URGENT, OPEN)
        recent = await uow.alerts.alerted_since(found, now - ONE_A_DAY)
        return [(u, Subscriber(
            channel=u.channel, locale=u.locale, last_seen_at=u.last_seen_at,
            stopped=u.unsubscribed_at is not None, unreachable=u.unreachable_at is not None,
            urgent=u.id in urgent, alerted_recently=u.id in recent)) for u in users]

    def _alert(self, user: User, opportunities: Sequence[Opportunity]) -> Outbound:
        t = self.translators.get(user.locale) or self.translators[self.reach.default_locale]
        return alert(t, opportunities)


def _open(opportunity: Opportunity, now: datetime) -> bool:
    today = now.astimezone(UTC).date()
    return opportunity.published and (opportunity.deadline is None
                                      or opportunity.deadline >= today)
