"""The referral queue on the real databases: moves, audit trail, races, erasure, re-alerts."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import bindparam, func, select, text

from bot.bootstrap import Container
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import Referral, ReferralEvent, UTCDateTime
from referrals.lifecycle import IllegalTransition
from referrals.queue import ClaimResult, ReferralNotFound, ReferralQueue
from tests.support.conversation import Conversation

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PERSONAL = {"municipality": "Has", "age_band": "18-24", "gender": "f",
            "contact": "+355691234567", "summary": "Arta nga Krumë, oferte per Italine",
            "answers": {"paid_upfront": "yes", "passport_kept": "yes"}}
SECRETS = ("+355691234567", "Arta", "Krumë", "paid_upfront", "Has")


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


async def _create(container: Container, count: int = 1, clock: Clock | None = None,
                  **fields: Any) -> list[int]:
    fields = {"user_id": None, "channel": "telegram", "topic": "jobs", **fields}
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals, clock or Clock())
        made = [await queue.create(**fields) for _ in range(count)]
        await uow.commit()
    return [referral.id for referral in made]


async def _events(container: Container, referral_id: int) -> list[tuple[Any, ...]]:
    async with container.sessions() as session:
        rows = await session.execute(
            select(ReferralEvent.kind, ReferralEvent.staff_id, ReferralEvent.detail,
                   ReferralEvent.note, ReferralEvent.created_at)
            .where(ReferralEvent.referral_id == referral_id).order_by(ReferralEvent.id))
        return [tuple(row) for row in rows.all()]


async def _referral(container: Container, referral_id: int) -> Referral:
    async with container.sessions() as session:
        referral = await session.get(Referral, referral_id)
        assert referral is not None
        return referral


async def test_the_whole_life_of_a_referral_is_in_its_audit_trail(container: Container) -> None:
    clock = Clock()
    [rid] = await _create(container, clock=clock, priority="high", topic="migration", **PERSONAL)
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals, clock)
        clock.advance(minutes=4)
        assert (await queue.claim(rid, "tg:101")).won
        clock.advance(minutes=2)
        await queue.note(rid, "tg:101", "called, she will call back")
        await queue.record_answer(rid, "tg:101")
        clock.advance(minutes=5)
        await queue.mark_contacted(rid, "tg:101")
        await queue.record_answer(rid, "tg:102")  # a colleague answers later: first time kept
        clock.advance(hours=1)
        await queue.close(rid, "tg:102", "legal_migration_counselling", partner="IOM Kukës")
        await uow.commit()

    referral = await _referral(container, rid)
    assert (referral.status, referral.outcome, referral.partner, referral.claimed_by) == (
        "closed", "legal_migration_counselling", "IOM Kukës", "tg:101")
    assert referral.claimed_at == T0 + timedelta(minutes=4)
    assert referral.first_answer_at == T0 + timedelta(minutes=6)
    assert referral.contacted_at == T0 + timedelta(minutes=11)
    assert referral.closed_at == T0 + timedelta(minutes=71)
    assert referral.answers == PERSONAL["answers"]
    trail = await _events(container, rid)
    assert [(kind, staff) for kind, staff, *_ in trail] == [
        ("created", None), ("claimed", "tg:101"), ("noted", "tg:101"), ("answered", "tg:101"),
        ("contacted", "tg:101"), ("answered", "tg:102"), ("closed", "tg:102")]
    assert trail[2][3] == "called, she will call back" and trail[2][2] is None
    assert trail[-1][2] == "legal_migration_counselling > IOM Kukës"
    assert [at for *_, at in trail] == sorted(at for *_, at in trail)


async def test_illegal_moves_change_nothing(container: Container) -> None:
    [rid] = await _create(container)
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        with pytest.raises(IllegalTransition, match="cannot close: referral is new"):
            await queue.close(rid, "tg:1", "no_answer")
        with pytest.raises(ValueError, match="unknown outcome"):
            await queue.close(rid, "tg:1", "married")
        with pytest.raises(ReferralNotFound):
            await queue.claim(rid + 1000, "tg:1")
        with pytest.raises(ValueError, match="unknown priority"):
            await queue.create(user_id=None, channel="telegram", topic="jobs", priority="asap")
    assert (await _referral(container, rid)).status == "new"
    assert [kind for kind, *_ in await _events(container, rid)] == ["created"]


async def _claim_in_own_transaction(container: Container, rid: int, staff: str) -> ClaimResult:
    async with container.unit_of_work() as uow:
        result = await ReferralQueue(uow.referrals).claim(rid, staff)
        await asyncio.sleep(0.05)  # hold the row a moment: the other claim has to wait for it
        await uow.commit()
        return result


async def test_two_staff_pressing_claim_at_once_one_wins_the_other_learns_who(
    container: Container,
) -> None:
    [rid] = await _create(container, priority="urgent", topic="smuggling")

    first, second = await asyncio.gather(
        _claim_in_own_transaction(container, rid, "tg:ana"),
        _claim_in_own_transaction(container, rid, "tg:ben"),
    )

    assert sorted([first.won, second.won]) == [False, True]
    winner, loser = (first, second) if first.won else (second, first)
    assert loser.holder == winner.holder == (await _referral(container, rid)).claimed_by
    claims = [staff for kind, staff, *_ in await _events(container, rid) if kind == "claimed"]
    assert claims == [winner.holder]
    again = await _claim_in_own_transaction(container, rid, winner.holder or "")
    assert again.won  # the winner pressing again is told it is theirs, nothing new recorded
    assert len(await _events(container, rid)) == 2


async def test_claim_next_takes_the_most_pressing_oldest_first(container: Container) -> None:
    clock = Clock()
    normal = await _create(container, clock=clock)
    clock.advance(minutes=1)
    urgent = await _create(container, clock=clock, priority="urgent")
    high = await _create(container, clock=clock, priority="high")
    clock.advance(minutes=1)
    urgent += await _create(container, clock=clock, priority="urgent")
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals, clock)
        taken = [(await queue.claim_next("tg:1")) for _ in range(5)]
        await uow.commit()
    assert [r.id if r else None for r in taken] == [*urgent, *high, *normal, None]


async def test_ten_staff_claiming_next_at_once_claim_each_referral_exactly_once(
    container: Container, backend: str,
) -> None:
    count = 1000 if backend == "postgresql" else 100
    priorities = ["normal", "high", "urgent"]
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        made = [await queue.create(user_id=None, channel="whatsapp", topic="jobs",
                                   priority=priorities[i % 3]) for i in range(count)]
        await uow.commit()
    taken: list[tuple[str, int]] = []

    async def worker(staff: str) -> None:
        while True:
            async with container.unit_of_work() as uow:
                referral = await ReferralQueue(uow.referrals).claim_next(staff)
                await uow.commit()
            if referral is None:
                return
            taken.append((staff, referral.id))

    await asyncio.wait_for(asyncio.gather(*(worker(f"tg:{n}") for n in range(10))), 60)

    ids = [rid for _, rid in taken]
    assert len(ids) == count
    assert sorted(ids) == sorted(r.id for r in made)
    async with container.sessions() as session:
        claims = dict((await session.execute(
            select(ReferralEvent.referral_id, func.count())
            .where(ReferralEvent.kind == "claimed").group_by(ReferralEvent.referral_id))).all())
        holders = dict((await session.execute(select(Referral.id, Referral.claimed_by))).all())
    assert set(claims.values()) == {1} and len(claims) == count
    assert holders == {rid: staff for staff, rid in taken}
    assert len(Counter(staff for staff, _ in taken)) > 1  # the work was shared out


async def test_deleting_my_data_withdraws_my_referrals_and_erases_what_they_said(
    container: Container,
) -> None:
    arta, other = Conversation(container, "arta"), Conversation(container, "other")
    await arta.say("menu")
    await other.say("menu")
    async with container.unit_of_work() as uow:
        arta_id = (await uow.users.get("test", "arta")).id  # type: ignore[union-attr]
        other_id = (await uow.users.get("test", "other")).id  # type: ignore[union-attr]
        queue = ReferralQueue(uow.referrals)
        open_one = await queue.create(user_id=arta_id, channel="test", topic="smuggling",
                                      priority="urgent", **PERSONAL)
        done = await queue.create(user_id=arta_id, channel="test", topic="jobs", **PERSONAL)
        kept = await queue.create(user_id=other_id, channel="test", topic="jobs", **PERSONAL)
        await queue.claim(open_one.id, "tg:7")
        await queue.note(open_one.id, "tg:7", "Arta said +355691234567 is her mother's phone")
        await queue.claim(done.id, "tg:7")
        await queue.close(done.id, "tg:7", "job_interview", partner="Puna Kukës")
        await uow.commit()

    await arta.say("fshi")
    await arta.say("po")

    withdrawn, closed = (await _referral(container, open_one.id),
                         await _referral(container, done.id))
    assert (withdrawn.status, closed.status, closed.outcome) == (
        "withdrawn", "closed", "job_interview")
    for referral in (withdrawn, closed):
        assert referral.user_id is None
        assert [getattr(referral, name) for name in PERSONAL] == [None] * 5 + [{}]
    trail = await _events(container, open_one.id) + await _events(container, done.id)
    assert not any(secret in str(trail) for secret in SECRETS)
    assert [kind for kind, *_ in await _events(container, open_one.id)][-1] == "withdrawn"
    assert [kind for kind, *_ in await _events(container, done.id)][-1] == "erased"
    untouched = await _referral(container, kept.id)
    assert (untouched.status, untouched.contact) == ("new", PERSONAL["contact"])

    async with container.unit_of_work() as uow:  # claiming it later: lost, nobody holds it
        result = await ReferralQueue(uow.referrals).claim(open_one.id, "tg:8")
        assert (result.won, result.holder, result.status) == (False, "tg:7", "withdrawn")


async def test_withdraw_for_user_through_the_queue(container: Container) -> None:
    async with container.unit_of_work() as uow:
        user, _ = await uow.users.get_or_create_locked("test", "besa", "sq")
        queue = ReferralQueue(uow.referrals)
        referral = await queue.create(user_id=user.id, channel="test", topic="jobs", **PERSONAL)
        bare = await queue.create(user_id=user.id, channel="test", topic="jobs")
        await queue.claim(bare.id, "tg:3")
        await queue.note(bare.id, "tg:3", "her brother Dritan called for her")
        await queue.close(bare.id, "tg:3", "declined")
        await uow.commit()
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        assert [r.id for r in await queue.withdraw_for_user(user.id)] == [referral.id]
        assert await queue.withdraw_for_user(user.id) == []  # twice: nothing more happens
        await uow.commit()
    assert (await _referral(container, referral.id)).contact is None
    assert [kind for kind, *_ in await _events(container, referral.id)] == [
        "created", "withdrawn"]
    bare_trail = await _events(container, bare.id)
    assert [kind for kind, *_ in bare_trail] == ["created", "claimed", "noted", "closed", "erased"]
    assert "Dritan" not in str(bare_trail)


async def test_unclaimed_referrals_are_realerted_ever_less_often(container: Container) -> None:
    clock = Clock()
    [urgent] = await _create(container, clock=clock, priority="urgent")
    [normal] = await _create(container, clock=clock)
    [claimed] = await _create(container, clock=clock, priority="urgent")

    async with container.unit_of_work() as uow:
        await ReferralQueue(uow.referrals, clock).claim(claimed, "tg:1")
        await uow.commit()

    async def due(**after: float) -> list[int]:
        async with container.unit_of_work() as uow:
            queue = ReferralQueue(uow.referrals, clock)
            return [r.id for r in await queue.due_for_realert(T0 + timedelta(**after))]

    async def alerted(rid: int, **after: float) -> None:
        async with container.unit_of_work() as uow:
            await ReferralQueue(uow.referrals).mark_alerted(rid, T0 + timedelta(**after))
            await uow.commit()

    assert await due(minutes=14) == []
    assert await due(minutes=15) == [urgent]
    await alerted(urgent, minutes=16)
    assert await due(minutes=45) == []
    assert await due(minutes=46) == [urgent]  # 30 minutes after the first alert
    await alerted(urgent, minutes=46)
    assert await due(minutes=105) == []
    assert await due(minutes=106) == [urgent]  # then 60
    assert await due(hours=24) == [urgent, normal]
    assert (await _referral(container, urgent)).alerts == 2
    assert [(kind, detail) for kind, _, detail, *_ in await _events(container, urgent)] == [
        ("created", "urgent"), ("realerted", "1"), ("realerted", "2")]
    async with container.unit_of_work() as uow:
        with pytest.raises(IllegalTransition):
            await ReferralQueue(uow.referrals).mark_alerted(claimed)


async def test_referrals_from_before_the_queue_survive_its_migration(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0004")
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO referrals (topic, priority, status, created_at, updated_at) "
                "VALUES ('jobs', 'normal', 'new', :at, :at)"
            ).bindparams(bindparam("at", type_=UTCDateTime())), {"at": T0})
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            row = (await connection.execute(
                select(Referral.channel, Referral.answers, Referral.alerts))).one()
        assert tuple(row) == ("", {}, 0)
    finally:
        await engine.dispose()
