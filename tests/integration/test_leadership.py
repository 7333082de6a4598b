"""Leadership by advisory lock: one leader at a time, a takeover when the leader's database
session ends, and the work it guards (a channel's sender, the scheduler) done once."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from bot.bootstrap import Container
from bot.delivery import Deliveries
from bot.delivery.outbox import LEASE
from bot.leadership import Election
from bot.messages import Inbound, Outbound
from bot.scheduler import Scheduler, jobs
from bot.staff import StaffChat, StaffDesk
from bot.storage.advisory import AdvisoryLocks
from bot.storage.database import create_engine
from bot.storage.models import OutboxMessage, ReferralEvent, utcnow
from tests.support.referrals import Clock, create

FAST = {"retry": 0.1, "check": 0.1, "grace": 0.5}
BOUND = 20.0
"""Seconds after which a wait counts as never (a bound for failing, not a measured time)."""


@pytest.fixture
async def locks(database_url: str) -> AsyncIterator[AdvisoryLocks]:
    made = AdvisoryLocks(database_url)
    try:
        yield made
    finally:
        await made.close()


class Log:
    """Records which candidate works when, and whether two ever worked at once."""

    def __init__(self) -> None:
        self.working: set[str] = set()
        self.terms: list[str] = []
        self.overlap = False

    def work(self, who: str):  # type: ignore[no-untyped-def]
        async def lead() -> None:
            self.overlap |= bool(self.working)
            self.working.add(who)
            self.terms.append(who)
            try:
                await asyncio.Future()
            finally:
                self.working.discard(who)
        return lead


async def _settle(seconds: float = 0.6) -> None:
    await asyncio.sleep(seconds)


async def test_one_candidate_leads_and_the_other_takes_over_when_its_session_ends(
    backend: str, database_url: str, locks: AdvisoryLocks,
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serves one process, which always leads (next test)")
    log = Log()
    first = Election(locks, "sender:test", log.work("first"), **FAST)
    first.start()
    await asyncio.wait_for(first.leading.wait(), BOUND)
    second = Election(locks, "sender:test", log.work("second"), **FAST)
    second.start()
    try:
        await _settle()
        assert log.terms == ["first"]  # the second waits

        killed = await _terminate_lock_holder(database_url)  # as if its host went away

        await asyncio.wait_for(second.leading.wait(), BOUND)
        await _settle()
        assert killed == 1 and not log.overlap
        assert log.terms == ["first", "second"] and log.working == {"second"}
        assert not first.leading.is_set()
    finally:
        await first.stop()
        await second.stop()
    assert log.working == set()


async def test_on_sqlite_the_one_process_leads_at_once(
    backend: str, locks: AdvisoryLocks,
) -> None:
    if backend != "sqlite":
        pytest.skip("on PostgreSQL the lock decides (test above)")
    log = Log()
    election = Election(locks, "scheduler", log.work("only"), **FAST)
    election.start()
    try:
        await asyncio.wait_for(election.leading.wait(), BOUND)
        assert log.working == {"only"}
    finally:
        await election.stop()


async def test_a_new_sender_sends_what_a_dead_sender_had_leased(container: Container) -> None:
    await container.engine.handle(Inbound("test", "ana", text="menu"))
    async with container.unit_of_work(autocommit=True) as uow:  # the dead sender's claim
        assert await uow.outbox.claim_next("test", "ana", LEASE) is not None
        await uow.commit()
    platform = Platform()
    deliveries = Deliveries(container.unit_of_work, "sq")
    deliveries.add(platform)

    await deliveries.take_over("test", sweep_every=0.1)
    try:
        await asyncio.wait_for(platform.got.wait(), BOUND)
    finally:
        await deliveries.shutdown()
    assert platform.sent == ["ana"]  # now, not when the lease would have run out


async def test_two_schedulers_alert_an_overdue_urgent_referral_again_once(
    container: Container, locks: AdvisoryLocks,
) -> None:
    [rid] = await create(container, clock=Clock(utcnow() - timedelta(minutes=20)),
                         priority="urgent")
    desk = StaffDesk(container.unit_of_work, container.translators, "sq",
                     StaffChat("-1001234567890", frozenset({"9001"})))
    woken: list[str] = []
    elections = [
        Election(locks, "scheduler",
                 Scheduler(jobs(desk, container.unit_of_work, 180), lambda: woken.append("x")).run,
                 **FAST)
        for _ in range(2)
    ]
    for election in elections:
        election.start()
    try:
        await asyncio.wait_for(_realerted(container, rid), BOUND)
        await _settle()
    finally:
        for election in elections:
            await election.stop()
    async with container.sessions() as session:
        cards = await session.scalar(select(func.count()).select_from(OutboxMessage)
                                     .where(OutboxMessage.referral_id == rid))
    assert await _realerts(container, rid) == 1 and cards == 1 and woken == ["x"]


class Platform:
    """A push channel that records where it sent."""

    name = "test"
    delivery = "push"
    window = None

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.got = asyncio.Event()

    async def send(self, address: str, _reply: Outbound) -> None:
        self.sent.append(address)
        self.got.set()


async def _realerts(container: Container, rid: int) -> int:
    async with container.sessions() as session:
        return int(await session.scalar(
            select(func.count()).select_from(ReferralEvent)
            .where(ReferralEvent.referral_id == rid, ReferralEvent.kind == "realerted")) or 0)


async def _realerted(container: Container, rid: int) -> None:
    while await _realerts(container, rid) == 0:
        await asyncio.sleep(0.1)


async def _terminate_lock_holder(database_url: str) -> int:
    """End the database session that holds this database's advisory lock; how many ended."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())")) or 0)
    finally:
        await engine.dispose()


async def test_a_leader_whose_work_fails_is_logged_and_leads_again(
    locks: AdvisoryLocks, caplog: pytest.LogCaptureFixture,
) -> None:
    rounds: list[int] = []

    async def fails_first() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("the first round fails")
        await asyncio.Future()

    election = Election(locks, "scheduler", fails_first, **FAST)
    election.start()
    try:
        await asyncio.wait_for(_until(lambda: len(rounds) == 2), BOUND)
    finally:
        await election.stop()
    assert [r.message for r in caplog.records if r.levelname == "ERROR"] == [
        "leader's work failed"]


async def _until(done) -> None:  # type: ignore[no-untyped-def]
    while not done():
        await asyncio.sleep(0.05)
