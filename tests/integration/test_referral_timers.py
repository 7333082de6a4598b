"""Re-alerts for unclaimed referrals and reminders for unanswered ones, on the real databases."""

from datetime import timedelta

import pytest

from bot.bootstrap import Container
from referrals.lifecycle import IllegalTransition
from referrals.queue import ReferralQueue
from tests.support.members import caseworkers
from tests.support.referrals import T0, Clock, create, events, stored


async def test_unclaimed_referrals_are_realerted_ever_less_often(container: Container) -> None:
    ana = (await caseworkers(container, "Ana"))["Ana"]
    clock = Clock()
    [urgent] = await create(container, clock=clock, priority="urgent")
    [normal] = await create(container, clock=clock)
    [claimed] = await create(container, clock=clock, priority="urgent")

    async with container.unit_of_work() as uow:
        await ReferralQueue(uow.referrals, clock).claim(claimed, ana)
        await uow.commit()

    async def due(**after: float) -> list[int]:
        async with container.unit_of_work() as uow:
            queue = ReferralQueue(uow.referrals, clock)
            return [r.id for r in await queue.due_for_realert(T0 + timedelta(**after))]

    async def alerted(rid: int, **after: float) -> None:
        async with container.unit_of_work() as uow:
            queue = ReferralQueue(uow.referrals)
            assert await queue.realert_if_due(rid, T0 + timedelta(**after)) is not None
            assert await queue.realert_if_due(rid, T0 + timedelta(**after)) is None  # once
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
    assert (await stored(container, urgent)).alerts == 2
    assert [(kind, detail) for kind, _, detail, *_ in await events(container, urgent)] == [
        ("created", "urgent"), ("realerted", "1"), ("realerted", "2")]
    async with container.unit_of_work() as uow:
        with pytest.raises(IllegalTransition):
            await ReferralQueue(uow.referrals).mark_alerted(claimed)


async def test_a_claimed_referral_nobody_answers_is_reminded_once_per_period(
    container: Container,
) -> None:
    ana = (await caseworkers(container, "Ana"))["Ana"]
    clock = Clock()
    [urgent] = await create(container, clock=clock, priority="urgent")
    [normal] = await create(container, clock=clock)
    [waiting] = await create(container, clock=clock)  # unclaimed: re-alerts, not reminders
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals, clock)
        await queue.claim(urgent, ana)
        await queue.claim(normal, ana)
        await uow.commit()

    async def remind(**after: float) -> list[int]:
        async with container.unit_of_work() as uow:
            queue = ReferralQueue(uow.referrals, Clock(T0 + timedelta(**after)))
            done = [r.id for r in await queue.due_for_reminder()
                    if await queue.remind_if_due(r.id) is not None]
            await uow.commit()
            return done

    assert await remind(hours=3, minutes=59) == []
    assert await remind(hours=4) == [urgent]
    assert await remind(hours=7) == []  # once per period
    async with container.unit_of_work() as uow:  # an answer starts the wait again
        await ReferralQueue(uow.referrals, Clock(T0 + timedelta(hours=7))).record_answer(
            urgent, ana)
        await uow.commit()
    assert await remind(hours=10, minutes=59) == []
    assert await remind(hours=11) == [urgent]
    assert await remind(hours=24) == [urgent, normal]  # urgent: 4 hours after the last one
    assert normal not in await remind(hours=47)
    assert normal in await remind(hours=48)
    assert waiting not in await remind(hours=100)
    assert [(kind, who) for kind, who, *_ in await events(container, urgent)][-1] == (
        "reminded", ana)
