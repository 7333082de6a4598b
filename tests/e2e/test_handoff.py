"""A young person reaches a caseworker: qualification, the card in the staff group, Claim, the
conversation relayed both ways, closing, and the audit trail; through the real
python-telegram-bot Application against the fake Bot API (user and staff both on Telegram)."""

from datetime import timedelta

from sqlalchemy import select

from bot.staff import StaffDesk
from bot.storage.models import Referral, ReferralEvent, StaffMember, User, utcnow
from tests.fakes.telegram_bot_api import FakeBotAPI
from tests.support.staff_group import (
    CASEWORKER,
    STAFF_CHAT,
    STRANGER,
    USER,
    WAIT,
    Desk,
    ask_for_a_training,
)


async def test_a_training_request_reaches_a_caseworker_and_back(desk: Desk) -> None:
    api = desk.api
    await ask_for_a_training(desk)

    [card] = await desk.staff_get(1)
    assert "#1" in card and "Dua nje kurs per kuzhinier" in card
    assert desk.t("staff.topic.trainings") in card and "trainings" not in card
    assert desk.t("handoff.age.18_24") in card and "18_24" not in card

    answered = len(api.calls_to("answerCallbackQuery"))
    await api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=STRANGER)
    await api.wait_for(lambda a: len(a.calls_to("answerCallbackQuery")) > answered)
    assert api.calls_to("answerCallbackQuery")[-1].params["text"] == desk.t("staff.not_staff")

    await api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=CASEWORKER)
    assert desk.t("handoff.claimed") in (await desk.user_gets(11))[-1]
    card_id = desk.api.bot_messages(STAFF_CHAT)[0]["message_id"]

    await api.push_message(STAFF_CHAT, "Tung! A je i lire te henen?", user_id=CASEWORKER,
                           reply_to=card_id)
    assert (await desk.user_gets(12))[-1] == desk.t("handoff.staff_says",
                                                     text="Tung! A je i lire te henen?")

    await api.push_message(USER, "po, pas ores 10")
    staff_side = await desk.staff_get(3)
    assert staff_side[-1] == desk.t("staff.from_user", id=1, text="po, pas ores 10")
    assert len(api.sent(USER)) == 12  # the bot kept quiet: a person has the conversation

    await api.push_message(STAFF_CHAT, "/close 1 enrolled_training", user_id=STRANGER)
    await api.push_message(STAFF_CHAT, "/close 1 enrolled_training Qendra e Formimit",
                           user_id=CASEWORKER)
    assert desk.t("handoff.closed") in (await desk.user_gets(13))[-1]
    await api.push_callback(USER, "feedback:yes")
    assert desk.t("feedback.thanks") in (await desk.user_gets(14))[-1]

    async with desk.container.sessions() as session:
        referral = await session.scalar(select(Referral))
        events = (await session.scalars(select(ReferralEvent).order_by(ReferralEvent.id))).all()
        caseworker = await session.scalar(
            select(StaffMember).where(StaffMember.telegram_id == CASEWORKER))
    assert (referral.status, referral.outcome, referral.partner) == (
        "closed", "enrolled_training", "Qendra e Formimit")
    assert caseworker is not None and caseworker.role == "caseworker"
    assert referral.claimed_by_id == caseworker.id and referral.first_answer_at is not None
    trail = [(e.kind, e.staff_member_id) for e in events]
    me = caseworker.id
    assert trail == [("created", None), ("claimed", me), ("answered", me), ("contacted", me),
                     ("closed", me), ("feedback", None)]


async def test_declining_consent_keeps_nothing_personal(desk: Desk) -> None:
    api = desk.api
    await api.push_message(USER, "/start")
    await desk.user_gets(1)
    await api.push_message(USER, "dua te flas me nje njeri")
    await desk.user_gets(2)
    await api.push_callback(USER, "handoff:human")
    await desk.user_gets(3)
    await api.push_message(USER, "jo")
    assert desk.t("handoff.consent.declined") in (await desk.user_gets(4))[-1]
    async with desk.container.sessions() as session:
        assert (await session.scalars(select(Referral))).all() == []
        user = await session.scalar(select(User))
    assert user.consent_at is None


async def test_a_danger_message_alerts_staff_at_once_after_the_numbers(desk: Desk) -> None:
    await desk.api.push_message(USER, "/start")
    await desk.user_gets(1)
    await desk.api.push_message(USER, "me kane marre pasaporten dhe nuk me lene te iki, ndihme")
    [_, urgent, alerted] = await desk.user_gets(3)
    assert "112" in urgent  # the numbers first, no question in the way
    assert alerted == desk.t("handoff.urgent_alerted")
    [card] = await desk.staff_get(1)
    assert desk.t("staff.priority.urgent") in card


async def test_staff_see_the_queue_note_and_are_alerted_again_when_nobody_claims(
    desk: Desk,
) -> None:
    await ask_for_a_training(desk)
    await desk.staff_get(1)
    await desk.api.push_message(STAFF_CHAT, "/queue", user_id=CASEWORKER)
    queue = (await desk.staff_get(2))[-1]
    assert queue.startswith("#1 ·") and desk.t("staff.topic.trainings") in queue
    assert desk.t("staff.status.new") in queue
    await desk.api.push_message(STAFF_CHAT, "/note 1 e njoh familjen", user_id=CASEWORKER)
    assert (await desk.staff_get(3))[-1] == desk.t("staff.noted", id=1)

    later = StaffDesk(desk.container.unit_of_work, desk.container.translators, "sq",
                      desk.container.staff.chat, clock=lambda: utcnow() + timedelta(days=1))
    assert await later.realert() == 1
    assert await later.realert() == 0  # the next alert waits longer
    async with desk.container.sessions() as session:
        [event] = (await session.scalars(
            select(ReferralEvent).where(ReferralEvent.kind == "noted"))).all()
        author = await session.get(StaffMember, event.staff_member_id)
    assert author is not None and author.telegram_id == CASEWORKER and event.detail is None


async def test_in_a_forum_each_request_gets_a_topic_where_everything_is_relayed(
    forum_desk: Desk,
) -> None:
    desk, api = forum_desk, forum_desk.api
    await ask_for_a_training(desk)
    await desk.staff_get(1)
    await api.push_message(STAFF_CHAT, "/queue", user_id=CASEWORKER, first_name="Dita")
    await api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=CASEWORKER)
    await desk.user_gets(11)
    [(topic, name)] = (await _topics(api)).items()
    assert name == "#1"
    in_topic = [m for m in await desk.api.wait_sent(4, STAFF_CHAT, timeout=WAIT)
                if m.get("message_thread_id") == topic]
    assert desk.t("staff.thread_opened", id=1, staff="Dita") in in_topic[0]["text"]

    await api.push_message(STAFF_CHAT, "Mirembrema! Kur mund te flasim?", user_id=CASEWORKER,
                           thread=topic)
    assert (await desk.user_gets(12))[-1] == desk.t("handoff.staff_says",
                                                     text="Mirembrema! Kur mund te flasim?")
    await api.push_message(USER, "neser pasdite")
    await api.push_photo(USER)
    *_, relayed, photo = await desk.api.wait_sent(6, STAFF_CHAT, timeout=WAIT)
    assert (relayed["text"], relayed["message_thread_id"]) == (
        desk.t("staff.from_user", id=1, text="neser pasdite"), topic)
    assert (photo["text"], photo["message_thread_id"]) == (
        desk.t("staff.from_user_media", id=1), topic)
    assert len(api.sent(USER)) == 12  # the photo got no bot answer: a person has the chat

    await api.push_message(STAFF_CHAT, "/close 1 job_interview", user_id=CASEWORKER,
                           thread=topic)
    assert desk.t("handoff.closed") in (await desk.user_gets(13))[-1]
    [closed] = (await desk.api.wait_sent(7, STAFF_CHAT, timeout=WAIT))[-1:]
    assert closed["message_thread_id"] == topic


async def _topics(api: FakeBotAPI) -> dict[int, str]:
    await api.wait_for(lambda a: bool(a.topics.get(STAFF_CHAT)), timeout=WAIT)
    return api.topics[STAFF_CHAT]
