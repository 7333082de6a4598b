"""Defects of the staff side, each pinned by a test that failed before its fix."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.staff import StaffChat, StaffDesk
from bot.staff import results as r
from bot.staff.accounts import TelegramUser
from bot.storage.models import OutboxMessage, ReferralEvent, utcnow
from referrals.queue import ReferralQueue

STAFF_CHAT = "-1001234567890"
ANA = TelegramUser(9001, "Ana")


def _desk(container: Container, **kw: object) -> StaffDesk:
    return StaffDesk(container.unit_of_work, container.translators, "sq",
                     StaffChat(STAFF_CHAT, frozenset({"9001"})), **kw)  # type: ignore[arg-type]


async def _create(container: Container, count: int, **fields: str) -> list[int]:
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        made = [await queue.create(user_id=None, channel="telegram", topic="jobs", **fields)
                for _ in range(count)]
        await uow.commit()
    return [referral.id for referral in made]


async def test_the_queue_lists_every_open_referral_even_past_200(container: Container) -> None:
    """It used to filter the newest 200 referrals in Python: older open ones were dropped."""
    oldest = await _create(container, 5)
    await _create(container, 200, priority="high")
    desk = _desk(container)
    async with container.unit_of_work() as uow:  # newer ones, closed: not in the queue
        queue = ReferralQueue(uow.referrals)
        member = await desk.actions.member(ANA)
        assert member is not None
        for _ in range(10):
            closed = await queue.create(user_id=None, channel="telegram", topic="jobs")
            await queue.claim(closed.id, member.id)
            await queue.close(closed.id, member.id, "declined")
        await uow.commit()

    listing = await desk.actions.queue(ANA)

    assert isinstance(listing, r.Queue) and len(listing.items) == 205
    assert [item.referral_id for item in listing.items[-5:]] == oldest  # normal after high
    assert {item.priority for item in listing.items[:200]} == {"high"}


async def test_two_processes_realerting_at_once_alert_each_referral_once(
    container: Container,
) -> None:
    """Both found the same referrals due and, after the row lock, alerted them again."""
    await _create(container, 30, priority="urgent")
    later = [_desk(container, clock=lambda: utcnow() + timedelta(hours=1)) for _ in range(2)]

    counts = await asyncio.gather(*(desk.realert() for desk in later))

    async with container.sessions() as session:
        alerts = await session.scalar(select(func.count()).select_from(ReferralEvent)
                                      .where(ReferralEvent.kind == "realerted"))
        posts = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert (alerts, posts, sum(counts)) == (30, 30, 30)


async def test_a_note_with_no_text_says_a_note_needs_text(container: Container) -> None:
    """It used to answer "not claimed or closed"."""
    [rid] = await _create(container, 1)
    assert await _desk(container).actions.note(ANA, rid, "  ") == r.NeedsText(rid)
