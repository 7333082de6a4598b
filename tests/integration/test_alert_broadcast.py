"""The alerts job against the database, on both databases: two rounds at once (a scheduler
taking over from one that has not let go) still queue each subscriber's alert once; what is
unpublished or past its deadline reaches nobody."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.bootstrap import Container, build_broadcaster
from bot.storage.alerts import AlertSubscription
from bot.storage.models import OutboxMessage, User, utcnow
from opportunities import catalogue, importing
from tests.support.alerts import publish
from tests.support.catalogue_rows import TODAY

SUBSCRIBERS = 23


async def _subscribers(container: Container, count: int) -> None:
    async with container.sessions() as session:
        users = [User(channel="telegram", address=str(700_000 + n), locale="sq")
                 for n in range(count)]
        session.add_all(users)
        await session.flush()
        session.add_all(AlertSubscription(user_id=u.id, kind="training", municipality="has")
                        for u in users)
        await session.commit()


async def _alerts_per_chat(container: Container) -> list[int]:
    async with container.sessions() as session:
        query = (select(func.count()).where(OutboxMessage.kind == "alert")
                 .group_by(OutboxMessage.address))
        return list((await session.scalars(query)).all())


async def test_two_rounds_at_once_queue_each_alert_once(container: Container) -> None:
    await _subscribers(container, SUBSCRIBERS)
    await publish(container, 1, kind="training", municipalities="has", sectors="")
    first, second = build_broadcaster(container), build_broadcaster(container)
    first.batch = second.batch = 4
    await asyncio.gather(first.run(), second.run(), return_exceptions=True)
    await build_broadcaster(container).run()  # the next round finishes what a failed one left
    assert await _alerts_per_chat(container) == [1] * SUBSCRIBERS


async def test_unpublished_and_expired_opportunities_reach_nobody(container: Container) -> None:
    await _subscribers(container, 3)
    await publish(container, 1, kind="training", municipalities="has")
    await publish(container, 2, kind="training", municipalities="",
                  deadline=(TODAY + timedelta(days=1)).isoformat())
    async with container.unit_of_work() as uow:
        await catalogue.unpublish(uow, importing.opportunities(), "opp-001")
        await uow.commit()
    later = build_broadcaster(container)
    three_days_on = utcnow() + timedelta(days=3)
    later.clock = lambda: three_days_on
    assert await later.run() == 0
    assert await _alerts_per_chat(container) == []
