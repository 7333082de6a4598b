"""The staff side on the real database: who may act, roles and partners, two caseworkers
pressing Claim at once, and the typed results the actions return."""

import asyncio

from sqlalchemy import select

from bot.bootstrap import Container
from bot.staff import StaffChat, StaffDesk
from bot.staff import results as r
from bot.staff.accounts import MemberId, TelegramUser
from bot.storage.models import OutboxMessage, Referral, StaffMember
from referrals.lifecycle import Outcome
from referrals.queue import ReferralQueue
from tests.support.conversation import Conversation
from tests.support.members import caseworkers

STAFF_CHAT = "-1001234567890"
ANA, BESA = TelegramUser(9001, "Ana"), TelegramUser(9003, "Besa")


def _desk(container: Container) -> StaffDesk:
    return StaffDesk(container.unit_of_work, container.translators, "sq",
                     StaffChat(STAFF_CHAT, frozenset({"9001", "9003"})))


async def _referral(container: Container, user: str = "ana") -> int:
    await Conversation(container, user).say("menu")
    async with container.unit_of_work() as uow:
        found = await uow.users.get("test", user)
        assert found is not None
        referral = await ReferralQueue(uow.referrals).create(
            user_id=found.id, channel="test", topic="jobs")
        await uow.commit()
        return referral.id


async def test_two_caseworkers_press_claim_at_once_one_wins_the_other_is_told_who(
    container: Container,
) -> None:
    desk, rid = _desk(container), await _referral(container)

    results = await asyncio.gather(desk.actions.claim(ANA, rid), desk.actions.claim(BESA, rid))

    async with container.sessions() as session:
        referral = await session.scalar(select(Referral))
        winner = await session.get(StaffMember, referral.claimed_by_id)
    assert winner is not None and winner.telegram_id in (9001, 9003)
    assert sorted(results, key=lambda x: type(x).__name__) == [
        r.AlreadyHeld(rid, winner.name), r.Claimed(rid, winner.name, fresh=True)]
    assert winner.name in ("Ana", "Besa")  # the Telegram first name, until an admin names them
    again = await desk.actions.claim(TelegramUser(winner.telegram_id or 0), rid)
    assert again == r.Claimed(rid, winner.name, fresh=False)


async def test_someone_not_on_the_staff_list_changes_nothing(container: Container) -> None:
    desk, rid = _desk(container), await _referral(container)
    before = await _outbox(container)
    stranger = TelegramUser(6666, "Eve")

    assert await desk.actions.claim(stranger, rid) == r.NotAllowed()
    assert await desk.actions.close(stranger, rid, "no_answer") == r.NotAllowed()
    assert await desk.actions.note(stranger, rid, "x") == r.NotAllowed()
    assert await desk.actions.answer(stranger, rid, "hello") == r.NotAllowed()
    assert await desk.actions.queue(stranger) == r.NotAllowed()
    assert await desk.actions.unclaim(stranger, rid) == r.NotAllowed()

    async with container.sessions() as session:
        referral = await session.scalar(select(Referral))
        members = (await session.scalars(select(StaffMember))).all()
    assert (referral.status, referral.claimed_by_id) == ("new", None)
    assert members == []  # nobody was made staff
    assert await _outbox(container) == before  # no message to the user, none to the group


async def test_roles_decide_and_partners_see_only_what_is_routed_to_them(
    container: Container,
) -> None:
    desk = _desk(container)
    first, second = await _referral(container, "ana"), await _referral(container, "ben")
    viewer = (await caseworkers(container, "Vesa", role="viewer"))["Vesa"]
    supervisor = (await caseworkers(container, "Sara", role="supervisor"))["Sara"]
    partner = (await caseworkers(container, "Pjerin", role="partner", partner="Puna Kukës"))[
        "Pjerin"]

    assert await desk.actions.claim(MemberId(viewer), first) == r.NotAllowed(member=True)
    listing = await desk.actions.queue(MemberId(viewer))
    assert isinstance(listing, r.Queue) and len(listing.items) == 2
    assert await desk.actions.queue(MemberId(partner)) == r.Queue(())
    assert await desk.actions.claim(MemberId(partner), first) == r.NotAllowed(member=True)
    assert await desk.actions.claim(ANA, first) == r.Claimed(first, "Ana", fresh=True)
    assert await desk.actions.unclaim(BESA, first) == r.NotAllowed(True)  # not hers to give
    assert await desk.actions.reassign(ANA, first, "Besa") == r.NotAllowed(member=True)
    assert await desk.actions.reassign(MemberId(supervisor), first, "nobody") == r.NoSuchMember(
        "nobody")
    assert await desk.actions.reassign(
        MemberId(supervisor), first, "pjerin@example.org") == r.Reassigned(first, "Pjerin")

    mine = await desk.actions.queue(MemberId(partner))
    assert isinstance(mine, r.Queue) and [i.referral_id for i in mine.items] == [first]
    assert await desk.actions.note(MemberId(partner), second, "x") == r.NotAllowed(True)
    assert await desk.actions.close(MemberId(partner), first, None) == r.NeedsOutcome(
        first, tuple(o.value for o in Outcome))
    closed = await desk.actions.close(MemberId(partner), first, "job_interview")
    assert closed == r.Closed(first, "job_interview", "Puna Kukës")
    assert await desk.actions.unclaim(MemberId(supervisor), second) == r.NotClaimed(second)
    assert await desk.actions.note(ANA, second, "") == r.NeedsText(second)


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
