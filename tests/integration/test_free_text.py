"""Free text drives the conversation through the NLU; danger always wins."""

import pytest

from bot.bootstrap import Container
from bot.engine import Engine
from nlu.base import IntentScore, Parse
from tests.support.conversation import Conversation, ids

URGENT = "me kane marre pasaporten dhe s'me lene te dal"


def page_text(container: Container, page_id: str, locale: str = "sq") -> str:
    return container.content.page(locale, page_id).text.strip()


@pytest.mark.parametrize(("text", "page"), [
    ("du me gjet pune ne Has", "jobs"),
    ("a ka kurse falas per IT?", "trainings"),
    ("dua te hap nje biznes me dele", "business"),
    ("si te shkoj me vize pune ne Gjermani", "migration.germany"),
    ("a duhet vize per Angli", "migration.uk"),
    ("nje shok me tha qe me con ne Angli me gomone per 4 mije", "smuggling"),
    (URGENT, "urgent"),
    ("dua te flas me nje njeri", "human"),
])
async def test_free_text_opens_the_topic_it_asks_about(
    container: Container, text: str, page: str
) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [reply] = await chat.say(text)
    assert page_text(container, page) in reply.text


async def test_danger_wins_over_a_pending_question_and_a_sub_menu(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    await chat.press("page:business")
    await chat.say("fshi")
    [reply] = await chat.say(URGENT)
    assert "112" in reply.text and page_text(container, "urgent") in reply.text
    [after] = await chat.say("po")
    assert container.translators["sq"]("delete.done") not in after.text


async def test_a_first_message_in_danger_gets_help_before_the_welcome(
    container: Container,
) -> None:
    first, second = await Conversation(container, "new").say(URGENT)
    assert "112" in first.text and first.choices
    assert container.translators["sq"]("welcome.text") in second.text


async def test_a_first_question_gets_the_welcome_then_its_answer(container: Container) -> None:
    intro, answer = await Conversation(container, "new").say("kerkoj pune ne Kukes")
    assert container.translators["sq"]("privacy.notice") in intro.text
    assert page_text(container, "jobs") in answer.text


async def test_thanks_and_goodbye_get_a_short_warm_answer(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [thanks] = await chat.say("faleminderit shume")
    assert thanks.text == container.translators["sq"]("thanks.text")
    [bye] = await chat.say("mirupafshim")
    assert bye.text == container.translators["sq"]("goodbye.text")


async def test_unsubscribing_in_words_asks_first(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [question] = await chat.say("mos me shkruani me")
    assert ids(question) == ["confirm:yes", "confirm:no"]
    [done] = await chat.say("1")
    assert done.text == container.translators["sq"]("unsubscribe.done")


async def test_asking_for_english_in_words_switches(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [reply] = await chat.say("can we speak english please")
    assert container.translators["en"]("language.switched") in reply.text


class CloseCall:
    """An NLU that finds jobs and trainings about as likely (to test the engine's question)."""

    async def parse(self, text: str) -> Parse:
        ranking = (IntentScore("jobs", 0.46), IntentScore("trainings", 0.41))
        return Parse(text=text, intent=ranking[0], ranking=ranking)


async def test_two_close_topics_make_the_bot_ask_which(container: Container) -> None:
    engine = Engine(container.unit_of_work, container.content, container.translators, "sq",
                    CloseCall(), container.staff)
    chat = Conversation(container, "ana", engine=engine)
    await chat.say("menu")
    [question] = await chat.say("dicka per pune dhe kurse")
    assert question.text == container.translators["sq"]("nlu.did_you_mean")
    assert ids(question) == ["page:jobs", "page:trainings", "page:menu"]
    [jobs] = await chat.say("1")
    assert page_text(container, "jobs") in jobs.text


async def test_a_first_hello_gets_the_welcome_with_the_privacy_notice(
    container: Container,
) -> None:
    [reply] = await Conversation(container, "new").say("tung si je")
    sq = container.translators["sq"]
    assert sq("welcome.text") in reply.text and sq("privacy.notice") in reply.text


@pytest.mark.parametrize(("opened", "said", "shown"), [
    ("jobs", "po në Has?", "jobs"),
    ("business", "po ne tropoje", "business"),
    ("jobs", "po për vajza?", "jobs"),
    ("smuggling.cost", "sa kushton?", "smuggling.cost"),
    ("trainings", "ku?", "trainings"),
    ("migration.germany", "kur?", "migration.germany"),
    ("trainings", "a ka ne Kukes?", "trainings"),
])
async def test_a_short_follow_up_right_after_a_page_is_about_its_topic(
    container: Container, opened: str, said: str, shown: str,
) -> None:
    """Through the engine and the real NLU, which reads most of these as out of scope or as a
    bare yes: the page again, after a lead naming its topic, not the fallback."""
    chat = Conversation(container, "ana")
    await chat.say("menu")
    await chat.press(f"page:{opened}")
    [reply] = await chat.say(said)
    sq = container.translators["sq"]
    topic = container.content.page("sq", opened.split(".")[0]).title
    assert reply.text.startswith(sq("followup.about", topic=topic)), said
    assert page_text(container, shown) in reply.text
    assert sq("fallback.text") not in reply.text


async def test_a_follow_up_naming_a_country_opens_that_country_s_page(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    await chat.press("page:migration.germany")
    [reply] = await chat.say("po ne Itali?")
    assert page_text(container, "migration.italy_greece") in reply.text


async def test_the_same_words_with_no_page_shown_before_are_not_a_follow_up(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [reply] = await chat.say("ku?")
    assert container.translators["sq"]("fallback.text") in reply.text
