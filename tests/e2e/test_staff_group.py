"""The staff group's tools end to end: outcome buttons, giving back, handing on, the reminder,
and what a command without text says; through the real python-telegram-bot Application."""

from datetime import timedelta

from sqlalchemy import select

from bot.staff import StaffDesk
from bot.staff import results as r
from bot.staff.accounts import MemberId
from bot.storage.models import Referral, StaffMember, utcnow
from tests.support.members import caseworkers
from tests.support.staff_group import CASEWORKER, STAFF_CHAT, USER, Desk, ask_for_a_training

COLLEAGUE = 9003


async def _claimed(desk: Desk) -> None:
    await ask_for_a_training(desk)
    await desk.staff_get(1)
    await desk.api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=CASEWORKER)
    assert desk.t("handoff.claimed") in (await desk.user_gets(11))[-1]
    assert (await desk.staff_get(2))[-1] == desk.t("staff.claim.won", id=1, staff="Ana")


async def test_close_without_an_outcome_offers_one_button_per_outcome(desk: Desk) -> None:
    await _claimed(desk)
    await desk.api.push_message(STAFF_CHAT, "/note 1", user_id=CASEWORKER)
    assert (await desk.staff_get(3))[-1] == desk.t("staff.needs_text", id=1)

    await desk.api.push_message(STAFF_CHAT, "/close 1", user_id=CASEWORKER)
    [*_, pick] = await desk.api.wait_sent(4, STAFF_CHAT)
    assert pick["text"] == desk.t("staff.close.pick", id=1)
    buttons = [b for row in pick["reply_markup"]["inline_keyboard"] for b in row]
    assert len(buttons) == 8
    assert buttons[1] == {"text": desk.t("staff.outcome.job_interview"),
                          "callback_data": "staff:close:1:job_interview"}

    await desk.api.push_callback(STAFF_CHAT, "staff:close:1:job_interview", user_id=CASEWORKER)
    assert desk.t("handoff.closed") in (await desk.user_gets(12))[-1]
    closed = (await desk.staff_get(5))[-1]
    assert closed == desk.t("staff.closed", id=1, staff="Ana",
                            outcome=desk.t("staff.outcome.job_interview"))
    async with desk.container.sessions() as session:
        referral = await session.scalar(select(Referral))
    assert (referral.status, referral.outcome) == ("closed", "job_interview")


async def test_unclaim_and_reassign_tell_only_staff(desk: Desk) -> None:
    await _claimed(desk)
    await desk.api.push_message(STAFF_CHAT, "/queue", user_id=COLLEAGUE, first_name="Besa")
    assert "Ana" in (await desk.staff_get(3))[-1]  # who holds each request, by name
    await desk.api.push_message(STAFF_CHAT, "/unclaim 1", user_id=CASEWORKER)
    gave_back, card = (await desk.staff_get(5))[-2:]
    assert gave_back == desk.t("staff.unclaimed", id=1, staff="Ana")
    assert "#1" in card and desk.t("staff.topic.trainings") in card
    await desk.api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=COLLEAGUE)
    assert (await desk.staff_get(6))[-1] == desk.t("staff.claim.won", id=1, staff="Besa")

    await desk.api.push_message(STAFF_CHAT, "/reassign 1 Ana", user_id=CASEWORKER)
    assert (await desk.staff_get(7))[-1] == desk.t("staff.not_permitted")
    sara = (await caseworkers(desk.container, "Sara", role="supervisor"))["Sara"]
    actions = desk.container.staff.actions
    assert await actions.reassign(MemberId(sara), 1, "Nobody") == r.NoSuchMember("Nobody")
    assert await actions.reassign(MemberId(sara), 1, "ana") == r.Reassigned(1, "Ana")
    assert (await desk.staff_get(8))[-1] == desk.t("staff.reassigned", id=1, staff="Ana",
                                                   by="Sara")
    async with desk.container.sessions() as session:
        referral = await session.scalar(select(Referral))
        ana = await session.scalar(select(StaffMember).where(StaffMember.name == "Ana"))
    assert ana is not None and (referral.status, referral.claimed_by_id) == ("claimed", ana.id)
    assert len(desk.api.sent(USER)) == 11  # the young person heard nothing of all this


async def test_staff_are_reminded_once_when_nobody_answers_a_claimed_request(
    desk: Desk,
) -> None:
    await _claimed(desk)
    later = StaffDesk(desk.container.unit_of_work, desk.container.translators, "sq",
                      desk.container.staff.chat, clock=lambda: utcnow() + timedelta(hours=25))
    assert await later.remind() == 1
    assert await later.remind() == 0  # once per period
    reminder = (await desk.staff_get(3))[-1]
    assert reminder == desk.t("staff.reminder", id=1, staff="Ana", hours=24)


async def test_id_in_the_staff_group_answers_the_chat_id_and_the_writers_user_id(
    desk: Desk,
) -> None:
    await desk.api.push_message(STAFF_CHAT, "/id@kukes_youth_bot", user_id=COLLEAGUE)

    [said] = await desk.staff_get(1)
    assert said == desk.t("staff.id", chat_id=STAFF_CHAT, user_id=COLLEAGUE)
    assert f"(TELEGRAM_STAFF_CHAT_ID): {STAFF_CHAT}\n" in said and said.endswith(f" {COLLEAGUE}")
