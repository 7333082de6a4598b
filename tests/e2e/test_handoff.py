"""A young person reaches a caseworker: qualification, the card in the staff group, Claim, the
conversation relayed both ways, closing, and the audit trail; through the real
python-telegram-bot Application against the fake Bot API (user and staff both on Telegram)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import telegram
from bot.channels.web import create_app
from bot.config import Settings
from bot.channels.whatsapp import WEBHOOK_PATH
from bot.storage import migrate
from bot.staff import StaffDesk
from bot.storage.models import Referral, ReferralEvent, User, utcnow
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, FakeTwilio
from tests.fakes.twilio_api import USER as WA_USER

USER = 4242
STAFF_CHAT = -1001234567890
CASEWORKER = 9001
STRANGER = 9002
WAIT = 10.0  # a reply bound for another chat may wait for the outbox sweep (2 s)


@dataclass
class Desk:
    api: FakeBotAPI
    container: Container

    async def user_gets(self, count: int) -> list[str]:
        return [m["text"] for m in await self.api.wait_sent(count, USER, timeout=WAIT)]

    async def staff_get(self, count: int) -> list[str]:
        return [m["text"] for m in await self.api.wait_sent(count, STAFF_CHAT, timeout=WAIT)]

    def t(self, key: str, **values: object) -> str:
        return self.container.translators["sq"](key, **values)


@asynccontextmanager
async def _running(settings: Settings, api: FakeBotAPI) -> AsyncIterator[Desk]:
    async with serving(api) as api_url:
        staffed = settings.model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_staff_chat_id": STAFF_CHAT,
            "telegram_staff_user_ids": f"{CASEWORKER}, 9003",
        })
        container = await bootstrap.build(staffed, migrate_sqlite=False)
        await migrate.upgrade(container.database)
        [channel] = bootstrap.build_channels(staffed, container, [telegram])
        await channel.start()
        container.deliveries.start()
        try:
            yield Desk(api, container)
        finally:
            await container.deliveries.shutdown()
            await channel.stop()
            await container.close()


@pytest.fixture
async def desk(settings: Settings) -> AsyncIterator[Desk]:
    async with _running(settings, FakeBotAPI()) as running:
        yield running


@pytest.fixture
async def forum_desk(settings: Settings) -> AsyncIterator[Desk]:
    """The staff group is a forum: each claimed request gets a topic of its own."""
    async with _running(settings, FakeBotAPI(forums=frozenset({STAFF_CHAT}))) as running:
        yield running


async def _ask_for_a_training(desk: Desk) -> None:
    api = desk.api
    await api.push_message(USER, "/start")
    await desk.user_gets(1)
    await api.push_message(USER, "a ka kurse falas ne Kukes?")
    [_, trainings] = await desk.user_gets(2)
    assert desk.container.content.page("sq", "trainings").text.strip() in trainings
    for step, (press, then) in enumerate((
        ("handoff:trainings", "handoff.consent.ask"),
        ("ho:consent:yes", "handoff.municipality.ask"),
        ("ho:municipality:has", "handoff.age.ask"), ("ho:age:18_24", "handoff.gender.ask"),
        ("ho:gender:unsaid", "handoff.contact.ask"), ("ho:contact:chat", "handoff.summary.ask"),
    ), start=3):
        await api.push_callback(USER, press)
        assert desk.t(then) in (await desk.user_gets(step))[-1]
    await api.push_message(USER, "Dua nje kurs per kuzhinier")
    overview = (await desk.user_gets(9))[-1]
    assert "Has" in overview and "Dua nje kurs per kuzhinier" in overview
    await api.push_callback(USER, "ho:confirm:send")
    assert desk.t("handoff.sent") in (await desk.user_gets(10))[-1]


async def test_a_training_request_reaches_a_caseworker_and_back(desk: Desk) -> None:
    api = desk.api
    await _ask_for_a_training(desk)

    [card] = await desk.staff_get(1)
    assert "#1" in card and "Dua nje kurs per kuzhinier" in card and "trainings" in card

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
    assert (referral.status, referral.outcome, referral.partner) == (
        "closed", "enrolled_training", "Qendra e Formimit")
    assert referral.claimed_by == str(CASEWORKER) and referral.first_answer_at is not None
    trail = [(e.kind, e.staff_id) for e in events]
    assert trail == [("created", None), ("claimed", str(CASEWORKER)),
                     ("answered", str(CASEWORKER)), ("contacted", str(CASEWORKER)),
                     ("closed", str(CASEWORKER)), ("feedback", None)]


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


PUBLIC = "https://bot.example.org"
TEMPLATE = "HX" + "0" * 31 + "1"


@pytest.fixture
async def whatsapp_desk(  # type: ignore[no-untyped-def]
    settings,
) -> AsyncIterator[tuple[Desk, FakeTwilio]]:
    """The young person on WhatsApp (through a fake Twilio), staff in the Telegram group."""
    api, twilio = FakeBotAPI(), FakeTwilio(webhook_url=PUBLIC + WEBHOOK_PATH)
    async with serving(api) as api_url, serving(twilio) as twilio_url:
        staffed = settings.model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_staff_chat_id": STAFF_CHAT, "telegram_staff_user_ids": str(CASEWORKER),
            "twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "twilio_whatsapp_number": BOT_NUMBER, "twilio_api_base_url": twilio_url,
            "public_base_url": PUBLIC, "twilio_waiting_templates": {"sq": TEMPLATE},
        })
        container = await bootstrap.build(staffed, migrate_sqlite=False)
        await migrate.upgrade(container.database)
        channels = bootstrap.build_channels(staffed, container)  # both, as `youthbot run`
        assert [channel.name for channel in channels] == ["telegram", "whatsapp"]
        try:
            async with serving(create_app(container, channels), lifespan="on") as bot_url:
                twilio.route_public(PUBLIC, bot_url)
                yield Desk(api, container), twilio
                await twilio.settle()
        finally:
            await container.close()


async def test_a_whatsapp_request_reaches_the_telegram_staff_group_and_back(
    whatsapp_desk: tuple[Desk, FakeTwilio],
) -> None:
    desk, twilio = whatsapp_desk

    async def say(text: str, replies: int) -> str:
        assert (await twilio.send_inbound(body=text)).status_code == 200
        return str((await twilio.wait_messages(replies, WA_USER, timeout=WAIT))[-1].body)

    await say("tung", 1)
    assert desk.t("handoff.choice") in await say("si te hap nje biznes", 2)
    assert desk.t("handoff.consent.ask") in await say("1", 3)  # the first choice: a person
    for number, answers in enumerate(("1", "2", "3", "4", "1"), start=4):  # yes, Has, 18-24, …
        await say(answers, number)
    assert "Has" in await say("Dua te hap nje furre buke", 9)
    assert desk.t("handoff.sent") in await say("1", 10)

    [card] = await desk.staff_get(1)
    assert "whatsapp" in card and "Dua te hap nje furre buke" in card
    await desk.api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=CASEWORKER)
    [claimed] = [m.body for m in await twilio.wait_messages(11, WA_USER, timeout=WAIT)][-1:]
    assert claimed == desk.t("handoff.claimed")
    card_id = desk.api.bot_messages(STAFF_CHAT)[0]["message_id"]
    await desk.api.push_message(STAFF_CHAT, "Kemi nje program per biznese te reja",
                                user_id=CASEWORKER, reply_to=card_id)
    [relayed] = [m.body for m in await twilio.wait_messages(12, WA_USER, timeout=WAIT)][-1:]
    assert relayed == desk.t("handoff.staff_says", text="Kemi nje program per biznese te reja")

    assert (await twilio.send_inbound(body="Super, si aplikoj?")).status_code == 200
    staff_side = await desk.staff_get(3)
    assert staff_side[-1] == desk.t("staff.from_user", id=1, text="Super, si aplikoj?")
    assert len(twilio.messages_to(WA_USER)) == 12  # quiet while a person has the conversation

    # Two days later the caseworker answers: WhatsApp's window has closed.
    long_ago = utcnow() - timedelta(days=2)
    async with desk.container.sessions() as session:
        await session.execute(update(User).values(last_seen_at=long_ago))
        await session.commit()
    twilio.set_last_inbound(WA_USER, long_ago)
    await desk.api.push_message(STAFF_CHAT, "Afati eshte te premten", user_id=CASEWORKER,
                                reply_to=card_id)
    assert (await desk.staff_get(4))[-1] == desk.t("staff.answer_waits", id=1)
    [nudge] = (await twilio.wait_messages(13, WA_USER, timeout=WAIT))[-1:]
    assert nudge.content_sid == TEMPLATE
    pressed = await twilio.send_inbound(button_payload="waiting", button_text="Shiko")
    assert pressed.status_code == 200
    [waited] = (await twilio.wait_messages(14, WA_USER, timeout=WAIT))[-1:]
    assert waited.body == desk.t("handoff.staff_says", text="Afati eshte te premten")

    await desk.api.push_message(STAFF_CHAT, "/close 1 business_support", user_id=CASEWORKER)
    [closed] = (await twilio.wait_messages(15, WA_USER, timeout=WAIT))[-1:]
    assert desk.t("handoff.closed") in str(closed.body) and "\n1. " in str(closed.body)


async def test_staff_see_the_queue_note_and_are_alerted_again_when_nobody_claims(
    desk: Desk,
) -> None:
    await _ask_for_a_training(desk)
    await desk.staff_get(1)
    await desk.api.push_message(STAFF_CHAT, "/queue", user_id=CASEWORKER)
    queue = (await desk.staff_get(2))[-1]
    assert queue.startswith("#1 ·") and "trainings" in queue
    await desk.api.push_message(STAFF_CHAT, "/note 1 e njoh familjen", user_id=CASEWORKER)
    assert (await desk.staff_get(3))[-1] == desk.t("staff.noted", id=1)

    later = StaffDesk(desk.container.unit_of_work, desk.container.translators, "sq",
                      desk.container.staff.chat, clock=lambda: utcnow() + timedelta(days=1))
    assert await later.realert() == 1
    assert await later.realert() == 0  # the next alert waits longer
    async with desk.container.sessions() as session:
        [event] = (await session.scalars(
            select(ReferralEvent).where(ReferralEvent.kind == "noted"))).all()
    assert event.staff_id == str(CASEWORKER) and event.detail is None


async def test_in_a_forum_each_request_gets_a_topic_where_everything_is_relayed(
    forum_desk: Desk,
) -> None:
    desk, api = forum_desk, forum_desk.api
    await _ask_for_a_training(desk)
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
