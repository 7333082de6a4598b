"""Open opportunities in the conversation, on the real database: what a young person asking
about trainings, jobs or business support sees, "more", the topic pages' button, and "I'm
interested" leading into the referral questions."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.messages import Outbound
from bot.storage.catalogue import OpportunityEvent
from tests.support.catalogue_rows import TODAY
from tests.support.conversation import Conversation, ids, labels
from tests.support.opportunities import ORGANISATION, publish, row


def t(container: Container, key: str, **values: object) -> str:
    return container.translators["sq"](key, **values)


def shown(reply: Outbound) -> list[str]:
    """The opportunities a list offers, by the ids behind their "I'm interested" buttons."""
    return [i.removeprefix("opp:want:") for i in ids(reply) if i.startswith("opp:want:")]


async def _views(container: Container) -> dict[tuple[str, str], int]:
    async with container.sessions() as session:
        rows = await session.execute(select(
            OpportunityEvent.opportunity_id, OpportunityEvent.kind, func.count())
            .group_by(OpportunityEvent.opportunity_id, OpportunityEvent.kind))
        return {(opportunity, kind): count for opportunity, kind, count in rows}


async def test_an_it_course_question_lists_the_open_matching_ones_most_urgent_first(
    container: Container,
) -> None:
    await publish(
        container,
        row("it-later", places="has", sectors="ict", days=40, ages=("16", "29")),
        row("it-soon", places="", sectors="ict", days=12),
        row("it-tropoje", places="tropoje", sectors="ict", days=5),
        row("it-expired", places="has", sectors="ict", days=3),
        row("cooking-has", places="has", sectors="hospitality", days=8),
        row("job-it-has", kind="job", places="has", sectors="ict", days=8),
        expired=("it-expired",),
    )
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [reply] = await chat.say("a ka kurse IT ne Has?")
    assert shown(reply) == ["it-soon", "it-later"]
    text = reply.text
    assert text.startswith(t(container, "opportunities.found"))
    assert "1. Kurs: Titulli it-soon" in text and "2. Kurs: Titulli it-later" in text
    later = container.translators["sq"].date(TODAY + timedelta(days=40))
    assert f"⏳ Afati: {later}" in text
    assert ORGANISATION in text and "📍 Has" in text and "📍 Kukës, Has, Tropojë" in text
    assert t(container, "opportunities.ages.range", low=16, high=29) in text
    assert "https://example.org/it-later" in text
    assert t(container, "opportunities.checked",
             date=container.translators["sq"].date(TODAY - timedelta(days=3))) in text
    assert labels(reply)[:2] == ["🙋 Më intereson (1)", "🙋 Më intereson (2)"]
    assert t(container, "opportunities.more") not in labels(reply)
    assert await _views(container) == {("it-soon", "view"): 1, ("it-later", "view"): 1}


async def test_more_shows_the_next_three_numbered_on(container: Container) -> None:
    await publish(container, *(row(f"job-{n}", kind="job", days=10 + n) for n in range(5)))
    chat = Conversation(container, "ben")
    await chat.say("menu")
    [first] = await chat.say("kerkoj pune")
    assert shown(first) == ["job-0", "job-1", "job-2"]
    assert labels(first)[3] == t(container, "opportunities.more")
    [second] = await chat.press(ids(first)[3])
    assert shown(second) == ["job-3", "job-4"] and "4. Punë: Titulli job-3" in second.text
    assert t(container, "opportunities.more") not in labels(second)


async def test_with_none_that_match_it_says_so_over_the_page_with_a_way_to_all_of_them(
    container: Container,
) -> None:
    await publish(container, row("tourism-tropoje", places="tropoje", sectors="tourism"))
    chat = Conversation(container, "cen")
    await chat.say("menu")
    [reply] = await chat.say("a ka kurse IT ne Has?")
    page = container.content.page("sq", "trainings").text.strip()
    assert reply.text.startswith(t(container, "opportunities.none")) and page in reply.text
    assert labels(reply)[0] == t(container, "opportunities.current")
    [everything] = await chat.press(ids(reply)[0])
    assert shown(everything) == ["tourism-tropoje"]


async def test_an_empty_catalogue_changes_nothing(container: Container) -> None:
    chat = Conversation(container, "dua")
    await chat.say("menu")
    [reply] = await chat.say("a ka kurse IT ne Has?")
    assert reply.text.startswith(container.content.page("sq", "trainings").text.strip())
    assert t(container, "opportunities.current") not in labels(reply)


async def test_each_topic_page_offers_what_is_open_now(container: Container) -> None:
    await publish(container, row("grant-agro", kind="grant", sectors="agriculture"))
    chat = Conversation(container, "eda")
    await chat.say("menu")
    [business] = await chat.press("page:business")
    assert labels(business)[0] == t(container, "opportunities.current")
    [listed] = await chat.press(ids(business)[0])
    assert shown(listed) == ["grant-agro"] and "Grant: Titulli grant-agro" in listed.text
    [trainings] = await chat.press("page:trainings")
    assert t(container, "opportunities.current") not in labels(trainings)  # none open there


async def test_interested_without_a_staff_group_says_how_to_apply(container: Container) -> None:
    await publish(container, row("it-soon", sectors="ict"))
    chat = Conversation(container, "fan")
    await chat.say("menu")
    [listed] = await chat.say("kurs programimi")
    [reply] = await chat.press(ids(listed)[0])
    assert t(container, "opportunities.apply_directly", title="Titulli it-soon",
             how="https://example.org/it-soon") in reply.text
    assert await _views(container) == {("it-soon", "view"): 1, ("it-soon", "interested"): 1}


@pytest.mark.parametrize("button", ["opp:want:no-such-thing", "opp:list:trainings:x:y:z",
                                    "opp:list:nowhere:::0", "opp:want:"])
async def test_a_stale_or_forged_button_gets_a_clear_answer(
    container: Container, button: str,
) -> None:
    chat = Conversation(container, "gen")
    await chat.say("menu")
    [reply] = await chat.press(button)
    assert reply.text and reply.choices
