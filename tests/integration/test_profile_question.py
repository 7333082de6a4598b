"""The optional profile question on the real engine and databases, as a young person meets it:
once, when they say thanks after a first topic page (never on the page itself, whose choices
keep their numbers); answered by buttons or in Gheg without diacritics; each step
skippable, the whole declinable; a question typed meanwhile gets its answer; never in the way of
a referral or a danger message; gone with "fshi"."""

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.config import Settings
from bot.messages import Outbound
from bot.storage.profiles import UserProfile
from tests.support.conversation import CHANNEL, Conversation, ids
from tests.support.staffed import with_staff_group

QUESTION = ["pr:municipality:kukes", "pr:municipality:has", "pr:municipality:tropoje",
            "pr:municipality:other", "pr:municipality:skip", "pr:municipality:decline"]
AGES = ["pr:age:u16", "pr:age:16_17", "pr:age:18_24", "pr:age:25_29", "pr:age:30p",
        "pr:age:skip"]
GENDERS = ["pr:gender:female", "pr:gender:male", "pr:gender:other", "pr:gender:unsaid",
           "pr:gender:skip"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The question on, and a staff group: a person can be asked for."""
    return with_staff_group(settings.model_copy(update={"profile_question": True}))


def sq(container: Container, key: str) -> str:
    return container.translators["sq"](key)


async def _profile(container: Container, address: str = "ana") -> tuple[object, ...] | None:
    async with container.unit_of_work() as uow:
        user = await uow.users.get(CHANNEL, address)
        assert user is not None
        found = await uow.profiles.of_user(user.id)
        if found is None:
            return None
        return found.status, found.municipality, found.age_band, found.gender


async def _asked(chat: Conversation) -> Outbound:
    """A first topic question: its page alone; thanks for it, then the profile question."""
    await chat.say("tung")
    [page] = await chat.say("a ka kurse falas?")
    assert page.text.startswith(sq(chat.container, "opportunities.none")) or "kurse" in page.text
    [welcome, question] = await chat.say("faleminderit")
    assert welcome.text == sq(chat.container, "thanks.text")
    assert ids(question) == QUESTION
    assert "Vetëm për statistika" in question.text
    return question


async def test_after_the_first_topic_page_it_comes_once_and_buttons_keep_the_bands(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    await _asked(chat)
    [age] = await chat.press("pr:municipality:has")
    assert ids(age) == AGES and age.text == sq(container, "profile.age.ask")
    [gender] = await chat.press("pr:age:18_24")
    assert ids(gender) == GENDERS
    [thanks] = await chat.press("pr:gender:female")
    assert thanks.text == sq(container, "profile.thanks")
    assert ids(thanks) == ["page:trainings", "page:menu"]  # back to what they were reading
    assert await _profile(container) == ("answered", "has", "18_24", "female")
    for text in ("kerkoj pune ne kukes", "faleminderit", "si te hap nje biznes", "mirupafshim"):
        assert len(await chat.say(text)) == 1  # never asked again


@pytest.mark.parametrize(("typed", "next_step", "kept"), [
    (["jam prej hasi 17 vjeç"], GENDERS, ("asked", "has", "16_17", None)),
    (["tropoj", "17"], GENDERS, ("asked", "tropoje", "16_17", None)),
    (["jam nga kukesi", "kam 22 vjet"], GENDERS, ("asked", "kukes", "18_24", None)),
    (["Tjetër", "4"], GENDERS, ("asked", "other", "25_29", None)),  # a label, a button number
    (["kalo"], AGES, ("asked", None, None, None)),
    (["kalo", "kalo"], GENDERS, ("asked", None, None, None)),
    (["17"], QUESTION, ("asked", None, "16_17", None)),  # an age first: then where from
    (["jam 200 vjec"], None, ("asked", None, None, None)),  # left: not an age, not a place
])
async def test_typed_answers_in_gheg_without_diacritics(
    container: Container, typed: list[str], next_step: list[str] | None,
    kept: tuple[object, ...],
) -> None:
    chat = Conversation(container, "ana")
    await _asked(chat)
    for text in typed:
        replies = await chat.say(text)
    [reply] = replies
    if next_step is not None:
        assert ids(reply) == next_step
    else:
        assert not any(choice.startswith("pr:") for choice in ids(reply))
    assert await _profile(container) == kept


async def test_a_wrong_age_at_the_age_step_asks_again_and_skipping_all_ends_it(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    await _asked(chat)
    await chat.press("pr:municipality:skip")
    [again] = await chat.say("200")
    assert again.text.startswith(sq(container, "profile.age.again")) and ids(again) == AGES
    await chat.say("Kalo")
    [thanks] = await chat.say("vajzë")  # the label, typed
    assert thanks.text == sq(container, "profile.thanks")
    assert await _profile(container) == ("answered", None, None, "female")


@pytest.mark.parametrize("decline", ["button", "jo"])
async def test_declined_in_one_tap_it_keeps_nothing_and_is_never_asked_again(
    container: Container, decline: str,
) -> None:
    chat = Conversation(container, "ana")
    await _asked(chat)
    if decline == "button":
        [said] = await chat.press("pr:municipality:decline")
    else:
        [said] = await chat.say(decline)
    assert said.text == sq(container, "profile.declined")
    assert await _profile(container) == ("declined", None, None, None)
    assert len(await chat.say("kerkoj pune")) == 1
    assert len(await chat.say("flm")) == 1
    [stale] = await chat.press("pr:municipality:has")  # an old button: nothing is kept
    assert not any(choice.startswith("pr:") for choice in ids(stale))
    assert await _profile(container) == ("declined", None, None, None)


async def test_a_question_typed_instead_gets_its_answer_and_the_question_lapses(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    await _asked(chat)
    await chat.press("pr:municipality:tropoje")
    [page] = await chat.say("si te shkoj me vize pune ne Gjermani")
    assert "page:migration.germany" in ids(page) or "Gjermani" in page.text
    assert not any(choice.startswith("pr:") for choice in ids(page))
    assert await _profile(container) == ("asked", "tropoje", None, None)
    assert len(await chat.say("a ka pune ne tropoje")) == 1


async def test_a_cry_for_help_mid_question_gets_the_urgent_page(container: Container) -> None:
    chat = Conversation(container, "ana")
    await _asked(chat)
    replies = await chat.say("me kane marre pasaporten dhe me detyrojne te punoj")
    assert sq(container, "handoff.urgent_alerted") in [reply.text for reply in replies]
    assert all(not choice.startswith("pr:") for reply in replies for choice in ids(reply))


async def test_not_asked_during_the_referral_questions_nor_after_a_danger_message(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    await chat.say("tung")
    [consent] = await chat.press("handoff:jobs")
    assert ids(consent)[0] == "ho:consent:yes"
    replies = await chat.say("a ka kurse falas?")  # a topic question leaves the questions
    assert len(replies) == 1
    assert len(await chat.say("faleminderit")) == 1  # the referral is open
    assert await _profile(container) is None

    other = Conversation(container, "beni")
    await other.say("tung")
    urgent = await other.say("me kane marre pasaporten")
    assert sq(container, "handoff.urgent_alerted") in [reply.text for reply in urgent]
    assert len(await other.say("a ka pune ne kukes?")) == 1
    assert len(await other.say("flm")) == 1  # the urgent case is open
    assert await _profile(container, "beni") is None


async def test_fshi_erases_the_profile(container: Container) -> None:
    chat = Conversation(container, "ana")
    await _asked(chat)
    await chat.say("jam prej hasi 17 vjeç")
    await chat.say("fshi")
    [done] = await chat.say("po")
    assert done.text == sq(container, "delete.done")
    async with container.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(UserProfile)) == 0


async def test_in_english_too(container: Container) -> None:
    chat = Conversation(container, "tom")
    await chat.say("hi")
    await chat.say("english")
    await chat.say("are there free IT courses?")
    [_welcome, question] = await chat.say("thanks")
    assert ids(question) == QUESTION
    assert [c.label for c in question.choices][-2:] == ["Skip", "No thanks"]
