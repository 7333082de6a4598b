"""The referral questions on the real database: the answers people give, and what they lead to."""

import pytest
from sqlalchemy import select

from bot import flows
from bot.bootstrap import Container
from bot.config import Settings
from bot.flows.interpret import phone_number
from bot.messages import Inbound
from bot.routes import Route, RouteName, TalkToPerson
from bot.staff.notices import STAFF_CHANNEL
from bot.storage.models import ConversationState, OutboxMessage, Referral, User, utcnow
from bot.turn import Turn
from tests.support.conversation import Conversation
from tests.support.staffed import with_staff_group


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A staff group is set up: a person can be offered."""
    return with_staff_group(settings)


async def _up_to_contact(chat: Conversation, topic: str) -> None:
    await chat.say("menu")
    for press in (f"handoff:{topic}", "ho:consent:yes", "ho:municipality:tropoje",
                  "ho:age:18_24", "ho:gender:female"):
        await chat.press(press)


async def _referrals(container: Container) -> list[Referral]:
    async with container.sessions() as session:
        return list((await session.scalars(select(Referral))).all())


@pytest.mark.parametrize(("line", "priority"), [
    ("nisem neser per ne Angli me nje agjenci", "high"),
    ("dua te shkoj te punoj ne Gjermani me vize", "normal"),
])
async def test_a_departure_that_is_near_makes_a_migration_request_high_priority(
    container: Container, line: str, priority: str
) -> None:
    chat = Conversation(container, "ana")
    await _up_to_contact(chat, "migration")
    await chat.press("ho:contact:chat")
    await chat.say(line)
    await chat.press("ho:confirm:send")
    [referral] = await _referrals(container)
    assert (referral.topic, referral.priority, referral.summary) == ("migration", priority, line)


async def test_typed_numbers_and_a_phone_number_answer_the_questions(
    container: Container,
) -> None:
    chat = Conversation(container, "ben")
    await chat.say("menu")
    await chat.press("handoff:jobs")
    for typed in ("po", "2", "3", "2", "2"):  # yes, Has, 18-24, male, by phone
        await chat.say(typed)
    [again] = await chat.say("12345")
    assert container.translators["sq"]("handoff.phone.invalid") in again.text
    await chat.say("069 123 4567")
    await chat.say("Kerkoj pune si kamarier")
    [overview] = await chat.say("po")
    [referral] = await _referrals(container)
    assert (referral.municipality, referral.age_band, referral.gender, referral.contact) == (
        "has", "18_24", "male", "+355691234567")
    assert container.translators["sq"]("handoff.sent") in overview.text


async def test_under_the_minimum_age_there_is_content_and_a_note_but_no_referral(
    container: Container,
) -> None:
    chat = Conversation(container, "cim")
    await chat.say("menu")
    for press in ("handoff:trainings", "ho:consent:yes", "ho:municipality:kukes"):
        await chat.press(press)
    [note] = await chat.press("ho:age:u16")
    assert container.translators["sq"]("handoff.too_young") in note.text
    assert container.content.page("sq", "trainings").text.strip() in note.text  # the content
    assert note.choices  # the topics stay open
    assert await _referrals(container) == []
    assert await _nothing_personal_kept(container)


@pytest.mark.parametrize("age", ["15", "14"])
async def test_a_typed_age_under_16_is_too_young_and_nothing_personal_is_kept(
    container: Container, age: str,
) -> None:
    chat = Conversation(container, "cim")
    await chat.say("menu")
    for press in ("handoff:jobs", "ho:consent:yes", "ho:municipality:has"):
        await chat.press(press)
    [note] = await chat.say(age)
    assert container.translators["sq"]("handoff.too_young") in note.text
    assert container.content.page("sq", "jobs").text.strip() in note.text
    assert await _referrals(container) == []
    assert await _nothing_personal_kept(container)


async def _nothing_personal_kept(container: Container) -> bool:
    """No answers in the conversation's state, no consent on the user."""
    async with container.sessions() as session:
        state = await session.scalar(select(ConversationState))
        user = await session.scalar(select(User))
    assert state is not None and user is not None
    return "handoff" not in state.data and state.pending is None and user.consent_at is None


async def test_16_is_old_enough_for_a_referral(container: Container) -> None:
    chat = Conversation(container, "dua")
    await chat.say("menu")
    for press in ("handoff:jobs", "ho:consent:yes", "ho:municipality:has"):
        await chat.press(press)
    [gender] = await chat.say("16")
    assert container.translators["sq"]("handoff.gender.ask") in gender.text
    for press in ("ho:gender:unsaid", "ho:contact:chat"):
        await chat.press(press)
    await chat.say("Kerkoj pune per vere")
    await chat.press("ho:confirm:send")
    [referral] = await _referrals(container)
    assert referral.age_band == "16_17"


async def test_a_former_age_band_still_shows_with_its_label(container: Container) -> None:
    """A conversation under way when the bands changed, and a referral stored before: the
    last look shows the old band's label, and the staff card still renders it."""
    chat = Conversation(container, "ema")
    await _up_to_contact(chat, "jobs")
    async with container.unit_of_work() as uow:
        user, _ = await uow.users.get_or_create_locked("test", "ema", "sq")
        state = await uow.states.for_user(user)
        state.data = {**state.data, "handoff": {**state.data["handoff"], "age": "15_17"}}
        await uow.commit()
    await chat.press("ho:contact:chat")
    [overview] = await chat.say("Kerkoj pune")
    sq = container.translators["sq"]
    assert sq("handoff.age.15_17") in overview.text
    await chat.press("ho:confirm:send")
    [referral] = await _referrals(container)
    assert referral.age_band == "15_17"
    async with container.unit_of_work() as uow:
        for band in ("u15", "15_17"):
            stored = await uow.referrals.get(referral.id)
            assert stored is not None
            stored.age_band = band
            container.staff.new_referral(uow, stored)
        await uow.commit()
    async with container.sessions() as session:
        cards = [row.text for row in (await session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == STAFF_CHANNEL))).all()]
    for band in ("u15", "15_17"):  # the staff card shows the band's label, not its code
        assert any(sq(f"handoff.age.{band}") in card for card in cards), band


async def test_menu_leaves_the_questions_and_an_old_button_then_changes_nothing(
    container: Container,
) -> None:
    chat = Conversation(container, "dea")
    await _up_to_contact(chat, "business")
    [menu] = await chat.say("menu")
    assert menu.choices[0].id.startswith("page:")
    [stale] = await chat.press("ho:contact:chat")
    assert container.translators["sq"]("fallback.text") in stale.text
    assert await _referrals(container) == []


@pytest.mark.parametrize(("typed", "number"), [
    ("069 123 4567", "+355691234567"), ("+355 68 765 4321", "+355687654321"),
    ("00355671234567", "+355671234567"), ("+44 7700 900123", "+447700900123"),
    ("+355 24 222 333", "+35524222333"), ("12345", None), ("069 123", None), ("abc", None),
    ("+355 69 12", None), ("0691234567890", None),
])
def test_phone_numbers_albanian_or_international(typed: str, number: str | None) -> None:
    assert phone_number(typed) == number


async def test_answers_in_their_own_words_a_village_an_age_yes(container: Container) -> None:
    chat = Conversation(container, "eri")
    await chat.say("menu")
    await chat.press("handoff:jobs")
    for typed in ("ok", "jam nga Krume", "jam 17 vjec", "S'dua ta them", "Këtu në chat",
                  "Kerkoj pune ne pushime", "dergoje"):
        await chat.say(typed)
    [referral] = await _referrals(container)
    assert (referral.municipality, referral.age_band, referral.gender, referral.contact) == (
        "has", "16_17", "unsaid", "chat")


@pytest.mark.parametrize(("typed", "expected"), [("17", "16_17"), ("2", "16_17"),
                                                 ("16", "16_17"), ("23", "18_24"),
                                                 ("31", "30p")])
async def test_a_typed_age_or_choice_number_answers_the_age_question(
    container: Container, typed: str, expected: str
) -> None:
    chat = Conversation(container, "fat")
    await chat.say("menu")
    for press in ("handoff:trainings", "ho:consent:yes", "ho:municipality:kukes"):
        await chat.press(press)
    [next_question] = await chat.say(typed)
    assert container.translators["sq"]("handoff.gender.ask") in next_question.text
    async with container.sessions() as session:
        state = await session.scalar(select(ConversationState))
    assert state.data["handoff"]["age"] == expected


async def test_nonsense_asks_again_and_another_topic_leaves(container: Container) -> None:
    chat = Conversation(container, "gen")
    await _up_to_contact(chat, "trainings")
    [again] = await chat.say("asdfgh")
    sq = container.translators["sq"]
    assert sq("handoff.pick_one") in again.text and sq("handoff.contact.ask") in again.text
    [again] = await chat.say("99")
    assert sq("handoff.contact.ask") in again.text
    [page] = await chat.say("si te hap nje biznes ne Kukes?")
    assert container.content.page("sq", "business").text.strip() in page.text


async def test_entered_with_answers_given_only_the_missing_questions_are_asked(
    container: Container,
) -> None:
    """As an opportunity's "I'm interested" will: topic, opportunity and two answers known."""
    async with container.unit_of_work() as uow:
        user, _ = await uow.users.get_or_create_locked("test", "ida", "sq")
        state = await uow.states.for_user(user)
        turn = Turn(
            inbound=Inbound("test", "ida"), route=Route(RouteName.HANDOFF, TalkToPerson("jobs")),
            user=user, state=state, is_new_user=False, content=container.content,
            translators=container.translators, uow=uow, now=utcnow(), staff=container.staff,
        )
        consent = flows.start(turn, "handoff", given={
            "topic": "jobs", "priority": "normal", "opportunity": "x", "consent": "yes",
            "municipality": "has", "age": "18_24",
        })
        state.offered = [[choice.id, choice.label] for choice in consent.choices]
        await uow.commit()
    sq = container.translators["sq"]
    assert sq("handoff.consent.ask") in consent.text  # consent first, whatever was given
    chat = Conversation(container, "ida")
    [gender] = await chat.say("po")
    assert sq("handoff.gender.ask") in gender.text  # municipality and age were given
    async with container.sessions() as session:
        stored = (await session.scalar(select(ConversationState))).data["handoff"]
    assert (stored["opportunity"], stored["municipality"], stored["consent"]) == ("x", "has", "yes")
    await chat.press("ho:gender:female")
    await chat.press("ho:contact:chat")
    [overview] = await chat.say("Dua te aplikoj")
    assert sq("handoff.municipality.has") in overview.text
    await chat.press("ho:confirm:send")
    [referral] = await _referrals(container)
    assert (referral.topic, referral.municipality, referral.age_band, referral.gender) == (
        "jobs", "has", "18_24", "female")


async def test_a_high_priority_request_is_not_asked_the_statistics_only_question(
    container: Container,
) -> None:
    """Someone asking about an offer to be taken across: no gender question in the way."""
    chat = Conversation(container, "jon")
    await chat.say("menu")
    for press in ("handoff:smuggling", "ho:consent:yes", "ho:municipality:kukes"):
        await chat.press(press)
    sq = container.translators["sq"]
    [contact] = await chat.press("ho:age:18_24")
    assert sq("handoff.contact.ask") in contact.text
    assert sq("handoff.gender.ask") not in contact.text
    await chat.press("ho:contact:chat")
    await chat.say("Me ofruan te me cojne ne Angli me gomone")
    await chat.press("ho:confirm:send")
    [referral] = await _referrals(container)
    assert (referral.priority, referral.gender, referral.age_band) == ("high", None, "18_24")
