"""The outbox: replies reach the user in order, and a failed send is retried, not lost."""

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bot.bootstrap import Container
from bot.delivery import deliver_pending
from bot.delivery.outbox import OutboxWorker
from bot.messages import Inbound, Outbound
from bot.storage.models import OutboxMessage
from bot.storage.unit_of_work import UnitOfWork


async def test_a_failed_send_holds_that_chat_and_is_retried_in_order(container: Container) -> None:
    for text in ("menu", "2", "1"):
        await container.engine.handle(Inbound("test", "ana", text=text))
    await container.engine.handle(Inbound("test", "ben", text="menu"))
    sent: list[tuple[str, str]] = []
    failures = {"ana": 1}

    async def flaky(address: str, reply: Outbound) -> None:
        if failures.get(address):
            failures[address] -= 1
            raise ConnectionError("network down")
        sent.append((address, reply.text))

    assert await deliver_pending(container.unit_of_work, "test", flaky) == 1
    assert [address for address, _ in sent] == ["ben"]
    async with container.sessions() as session:
        first = await session.scalar(select(OutboxMessage).order_by(OutboxMessage.id))
    assert first.sent_at is None and first.attempts == 1 and first.last_error == "ConnectionError"

    assert await deliver_pending(container.unit_of_work, "test", flaky) == 3
    ana = [text for address, text in sent if address == "ana"]
    jobs = container.content.page("sq", "jobs").text.strip()
    assert len(ana) == 3 and jobs in ana[1]
    assert await deliver_pending(container.unit_of_work, "test", flaky) == 0


async def test_other_channels_replies_are_left_for_their_sender(container: Container) -> None:
    await container.engine.handle(Inbound("telegram", "42", text="menu"))

    async def refuse(_address: str, _reply: Outbound) -> None:
        raise AssertionError("not this channel's reply")

    assert await deliver_pending(container.unit_of_work, "test", refuse) == 0


async def test_a_delivery_that_cannot_reach_the_database_is_logged_and_left_to_the_sweep(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No connection free in time (or none at all) must not kill the chat's delivery task
    silently: it says so in the log, and the rows wait for the next sweep."""
    engine = create_async_engine("sqlite+aiosqlite:////nonexistent/folder/youthbot.db")
    worker = OutboxWorker(lambda *, autocommit=False: UnitOfWork(
        async_sessionmaker(engine), autocommit=autocommit), "test", _never_called)
    try:
        with caplog.at_level(logging.ERROR, logger="youthbot.delivery"):
            worker.notify("ana")
            await worker.drained()
    finally:
        await engine.dispose()
    failed = [r for r in caplog.records if r.getMessage() == "delivery failed, the sweep tries again"]
    assert len(failed) == 1 and failed[0].exc_info is not None


async def _never_called(_address: str, _reply: Outbound) -> None:
    raise AssertionError("nothing can be read to send")
