"""The referral queue on the real databases: moves, audit trail, races, handing on."""

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.storage.models import Referral, ReferralEvent
from referrals.lifecycle import IllegalTransition
from referrals.queue import ClaimResult, ReferralNotFound, ReferralQueue
from tests.support.members import caseworkers
from tests.support.referrals import PERSONAL, T0, Clock, create, events, stored


async def test_the_whole_life_of_a_referral_is_in_its_audit_trail(container: Container) -> None:
    staff = await caseworkers(container, "Ana", "Ben")
    ana, ben = staff["Ana"], staff["Ben"]
    clock = Clock()
    [rid] = await create(container, clock=clock, priority="high", topic="migration", **PERSONAL)
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals, clock)
        clock.advance(minutes=4)
        assert (await queue.claim(rid, ana)).won
        clock.advance(minutes=2)
        await queue.note(rid, ana, "called, she will call back")
        await queue.record_answer(rid, ana)
        clock.advance(minutes=5)
        await queue.mark_contacted(rid, ana)
        await queue.record_answer(rid, ben)  # a colleague answers later: first time kept
        clock.advance(hours=1)
        await queue.close(rid, ben, "legal_migration_counselling", partner="IOM Kukës")
        await uow.commit()

    referral = await stored(container, rid)
    assert (referral.status, referral.outcome, referral.partner, referral.claimed_by_id) == (
        "closed", "legal_migration_counselling", "IOM Kukës", ana)
    assert referral.claimed_at == T0 + timedelta(minutes=4)
    assert referral.first_answer_at == T0 + timedelta(minutes=6)
    assert referral.last_answer_at == T0 + timedelta(minutes=11)
    assert referral.contacted_at == T0 + timedelta(minutes=11)
    assert referral.closed_at == T0 + timedelta(minutes=71)
    assert referral.answers == PERSONAL["answers"]
    trail = await events(container, rid)
    assert [(kind, who) for kind, who, *_ in trail] == [
        ("created", None), ("claimed", ana), ("noted", ana), ("answered", ana),
        ("contacted", ana), ("answered", ben), ("closed", ben)]
    assert trail[2][3] == "called, she will call back" and trail[2][2] is None
    assert trail[-1][2] == "legal_migration_counselling > IOM Kukës"
    assert [at for *_, at in trail] == sorted(at for *_, at in trail)


async def test_illegal_moves_change_nothing(container: Container) -> None:
    [rid] = await create(container)
    ana = (await caseworkers(container, "Ana"))["Ana"]
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        with pytest.raises(IllegalTransition, match="cannot close: referral is new"):
            await queue.close(rid, ana, "no_answer")
        with pytest.raises(IllegalTransition, match="cannot unclaim: referral is new"):
            await queue.unclaim(rid, ana)
        with pytest.raises(ValueError, match="unknown outcome"):
            await queue.close(rid, ana, "married")
        with pytest.raises(ReferralNotFound):
            await queue.claim(rid + 1000, ana)
        with pytest.raises(ValueError, match="unknown priority"):
            await queue.create(user_id=None, channel="telegram", topic="jobs", priority="asap")
    assert (await stored(container, rid)).status == "new"
    assert [kind for kind, *_ in await events(container, rid)] == ["created"]


async def _claim_in_own_transaction(container: Container, rid: int, member: int) -> ClaimResult:
    async with container.unit_of_work() as uow:
        result = await ReferralQueue(uow.referrals).claim(rid, member)
        await asyncio.sleep(0.05)  # hold the row a moment: the other claim has to wait for it
        await uow.commit()
        return result


async def test_two_staff_pressing_claim_at_once_one_wins_the_other_learns_who(
    container: Container,
) -> None:
    staff = await caseworkers(container, "Ana", "Ben")
    [rid] = await create(container, priority="urgent", topic="smuggling")

    first, second = await asyncio.gather(
        _claim_in_own_transaction(container, rid, staff["Ana"]),
        _claim_in_own_transaction(container, rid, staff["Ben"]),
    )

    assert sorted([first.won, second.won]) == [False, True]
    winner, loser = (first, second) if first.won else (second, first)
    assert loser.holder == winner.holder == (await stored(container, rid)).claimed_by_id
    claims = [who for kind, who, *_ in await events(container, rid) if kind == "claimed"]
    assert claims == [winner.holder]
    assert winner.holder is not None
    again = await _claim_in_own_transaction(container, rid, winner.holder)
    assert again.won  # the winner pressing again is told it is theirs, nothing new recorded
    assert len(await events(container, rid)) == 2


async def test_claim_next_takes_the_most_pressing_oldest_first(container: Container) -> None:
    ana = (await caseworkers(container, "Ana"))["Ana"]
    clock = Clock()
    normal = await create(container, clock=clock)
    clock.advance(minutes=1)
    urgent = await create(container, clock=clock, priority="urgent")
    high = await create(container, clock=clock, priority="high")
    clock.advance(minutes=1)
    urgent += await create(container, clock=clock, priority="urgent")
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals, clock)
        taken = [(await queue.claim_next(ana)) for _ in range(5)]
        await uow.commit()
    assert [r.id if r else None for r in taken] == [*urgent, *high, *normal, None]


async def test_ten_staff_claiming_next_at_once_claim_each_referral_exactly_once(
    container: Container, backend: str,
) -> None:
    count = 1000 if backend == "postgresql" else 100
    staff = list((await caseworkers(container, *(f"Staff{n}" for n in range(10)))).values())
    priorities = ["normal", "high", "urgent"]
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        made = [await queue.create(user_id=None, channel="whatsapp", topic="jobs",
                                   priority=priorities[i % 3]) for i in range(count)]
        await uow.commit()
    taken: list[tuple[int, int]] = []

    async def worker(member: int) -> None:
        while True:
            async with container.unit_of_work() as uow:
                referral = await ReferralQueue(uow.referrals).claim_next(member)
                await uow.commit()
            if referral is None:
                return
            taken.append((member, referral.id))

    await asyncio.wait_for(asyncio.gather(*(worker(member) for member in staff)), 60)

    ids = [rid for _, rid in taken]
    assert len(ids) == count
    assert sorted(ids) == sorted(r.id for r in made)
    async with container.sessions() as session:
        claims = dict((await session.execute(
            select(ReferralEvent.referral_id, func.count())
            .where(ReferralEvent.kind == "claimed").group_by(ReferralEvent.referral_id))).all())
        holders = dict((await session.execute(select(Referral.id, Referral.claimed_by_id))).all())
    assert set(claims.values()) == {1} and len(claims) == count
    assert holders == {rid: member for member, rid in taken}
    assert len(Counter(member for member, _ in taken)) > 1  # the work was shared out


async def test_a_referral_given_back_or_handed_on_says_so_in_its_trail(
    container: Container,
) -> None:
    staff = await caseworkers(container, "Ana", "Ben", "Dita")
    ana, ben, dita = staff["Ana"], staff["Ben"], staff["Dita"]
    [rid] = await create(container)
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        await queue.claim(rid, ana)
        await queue.unclaim(rid, ana)
        assert (await queue.claim(rid, ben)).won  # back in the queue: anyone may take it
        await queue.reassign(rid, dita, ana, partner="Puna Kukës")
        await queue.unclaim(rid, dita)  # a supervisor gives back what Ana had
        await uow.commit()
    referral = await stored(container, rid)
    assert (referral.status, referral.claimed_by_id, referral.partner) == (
        "new", None, "Puna Kukës")
    assert [(kind, who, detail) for kind, who, detail, *_ in await events(container, rid)] == [
        ("created", None, "normal"), ("claimed", ana, None), ("unclaimed", ana, None),
        ("claimed", ben, None), ("reassigned", dita, str(ana)), ("unclaimed", dita, str(ana))]
