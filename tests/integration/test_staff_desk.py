"""The staff desk on the real database: who may act, and two caseworkers pressing Claim at once."""

import asyncio

from sqlalchemy import select

from bot.bootstrap import Container
from bot.staff import StaffChat, StaffDesk
from bot.storage.models import OutboxMessage, Referral
from referrals.queue import ReferralQueue
from tests.support.conversation import Conversation

STAFF_CHAT = "-1001234567890"


def _desk(container: Container) -> StaffDesk:
    return StaffDesk(container.unit_of_work, container.translators, "sq",
                     StaffChat(STAFF_CHAT, frozenset({"9001", "9003"})))


async def _referral(container: Container) -> int:
    await Conversation(container, "ana").say("menu")
    async with container.unit_of_work() as uow:
        user = await uow.users.get("test", "ana")
        assert user is not None
        referral = await ReferralQueue(uow.referrals).create(
            user_id=user.id, channel="test", topic="jobs")
        await uow.commit()
        return referral.id


async def test_two_caseworkers_press_claim_at_once_one_wins_the_other_is_told_who(
    container: Container,
) -> None:
    desk, rid = _desk(container), await _referral(container)
    sq = container.translators["sq"]

    answers = [a.text for a in await asyncio.gather(desk.claim("9001", rid),
                                                     desk.claim("9003", rid))]

    async with container.sessions() as session:
        referral = await session.scalar(select(Referral))
    winner = referral.claimed_by
    assert sorted(answers) == sorted([sq("staff.claim.won", id=rid, staff=winner),
                                      sq("staff.claim.lost", id=rid, holder=winner)])


async def test_someone_not_on_the_staff_list_changes_nothing(container: Container) -> None:
    desk, rid = _desk(container), await _referral(container)
    before = await _outbox(container)

    assert (await desk.claim("6666", rid)).text == container.translators["sq"]("staff.not_staff")
    await desk.close("6666", rid, "no_answer")
    await desk.note("6666", rid, "x")
    await desk.answer("6666", rid, "hello")
    await desk.queue("6666")

    async with container.sessions() as session:
        referral = await session.scalar(select(Referral))
    assert (referral.status, referral.claimed_by) == ("new", None)
    assert await _outbox(container) == before  # no message to the user, none to the group


async def _outbox(container: Container) -> list[tuple[str, str]]:
    async with container.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    return [(row.address, row.text) for row in rows]


async def test_without_a_staff_group_no_person_is_offered(container: Container) -> None:
    chat = Conversation(container, "hana")
    await chat.say("menu")
    [jobs] = await chat.press("page:jobs")
    assert not [c for c in jobs.choices if c.id.startswith("handoff:")]
    [reply] = await chat.press("handoff:jobs")  # a button from when there was one
    assert container.translators["sq"]("handoff.consent.ask") not in reply.text
    async with container.sessions() as session:
        assert (await session.scalars(select(Referral))).all() == []
