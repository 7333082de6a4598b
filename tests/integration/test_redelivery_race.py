"""The same delivery arriving twice at once (a webhook retry racing the original)."""

import asyncio

from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.messages import Inbound
from bot.storage.models import OutboxMessage, ProcessedDelivery


async def test_simultaneous_redeliveries_are_answered_once(container: Container) -> None:
    same = Inbound("telegram", "77", text="menu", delivery_id="update-1")
    results = await asyncio.gather(*(container.engine.handle(same) for _ in range(5)))
    assert sorted(len(r) for r in results) == [0, 0, 0, 0, 1]
    async with container.sessions() as session:
        assert await session.scalar(select(func.count(OutboxMessage.id))) == 1
        assert await session.scalar(select(func.count(ProcessedDelivery.id))) == 1


async def test_two_engines_on_one_database_answer_a_delivery_once(container: Container) -> None:
    from bot.engine import Engine

    other = Engine(container.unit_of_work, container.content, container.translators, "sq",
                   container.nlu, container.staff)
    same = Inbound("telegram", "78", text="menu", delivery_id="update-2")
    first, second = await asyncio.gather(container.engine.handle(same), other.handle(same))
    assert sorted([len(first), len(second)]) == [0, 1]
