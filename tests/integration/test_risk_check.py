"""The "is this offer safe?" check: five yes/no questions, then advice for the risk found."""

import pytest
from sqlalchemy import select

from bot.bootstrap import Container
from bot.config import Settings
from bot.flows.risk_check import HIGH, LOW, MEDIUM, QUESTIONS, TAKEN, score
from bot.handlers import handoff
from bot.messages import Outbound
from bot.storage.models import ConversationState, Referral
from tests.support.conversation import Conversation, ids
from tests.support.staffed import with_staff_group


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A staff group is set up: a person can be offered."""
    return with_staff_group(settings)


DANGER = "me kane marre pasaporten"
"""A message the NLU reads as urgent help."""


def text_of(container: Container, page_id: str, locale: str = "sq") -> str:
    return container.content.page(locale, page_id).text.strip()


def is_question(container: Container, reply: Outbound, question: str, locale: str = "sq") -> bool:
    number = QUESTIONS.index(question) + 1
    progress = container.translators[locale]("risk.progress", number=number, total=len(QUESTIONS))
    answers = ["yes", "no", TAKEN] if question == "passport" else ["yes", "no"]
    return (
        text_of(container, f"risk_check.{question}", locale) in reply.text
        and progress in reply.text
        and ids(reply) == [*(f"risk:{question}:{a}" for a in answers), "page:menu"]
    )


async def open_check(container: Container, chat: Conversation) -> Outbound:
    await chat.say("menu")
    [smuggling] = await chat.press("page:smuggling")
    assert "page:risk_check" in ids(smuggling)
    [first] = await chat.press("page:risk_check")
    return first


async def answer_by_buttons(
    container: Container, chat: Conversation, yes: tuple[str, ...]
) -> list[Outbound]:
    """Answer every question by its buttons (yes to those in ``yes``); the last replies."""
    replies: list[Outbound] = []
    for question in QUESTIONS:
        assert is_question(container, chat.received[-1], question), question
        replies = await chat.press(f"risk:{question}:{'yes' if question in yes else 'no'}")
    return replies


async def state_of(container: Container) -> ConversationState:
    async with container.sessions() as session:
        state = await session.scalar(select(ConversationState))
    assert state is not None
    return state


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        ((), LOW),
        (("fee",), MEDIUM),
        (("fee", "contract"), MEDIUM),
        (("contract", "travel_paid"), MEDIUM),
        (("passport",), HIGH),
        (("no_papers",), HIGH),
        (("fee", "contract", "travel_paid"), HIGH),
        (QUESTIONS, HIGH),
    ],
)
def test_the_scoring_rule(yes: tuple[str, ...], level: str) -> None:
    assert score({q: "yes" if q in yes else "no" for q in QUESTIONS}) == level


async def test_the_check_is_offered_where_offers_come_up(container: Container) -> None:
    for locale in ("sq", "en"):
        for page_id in ("smuggling", "smuggling.cost", "migration.agencies", "jobs.fake_offer"):
            assert "risk_check" in container.content.page(locale, page_id).choices


async def test_no_warning_sign_gives_low_risk_advice(container: Container) -> None:
    chat = Conversation(container, "arben")
    first = await open_check(container, chat)
    assert text_of(container, "risk_check") in first.text
    assert is_question(container, first, "fee")
    [result] = await answer_by_buttons(container, chat, yes=())
    assert text_of(container, "risk_check.low") in result.text
    assert "Informacioni u mblodh më" in result.text
    low = container.content.page("sq", "risk_check.low")
    assert ids(result) == [f"handoff:{low.handoff}"] + [f"page:{c}" for c in low.choices]
    state = await state_of(container)
    assert "risk" not in state.data and state.pending is None


async def test_one_or_two_signs_give_medium_risk_advice(container: Container) -> None:
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    [result] = await answer_by_buttons(container, chat, yes=("fee", "contract"))
    assert text_of(container, "risk_check.medium") in result.text
    assert "112" in result.text and "129" in result.text


async def test_a_kept_passport_gives_high_risk_advice_then_a_person_is_offered(
    container: Container,
) -> None:
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    advice, *offer = await answer_by_buttons(container, chat, yes=("passport",))
    assert text_of(container, "risk_check.high") in advice.text
    assert "112" in advice.text and "129" in advice.text
    assert advice.choices == ()  # the consent question after it carries the choices
    [consent] = offer
    assert container.translators["sq"]("handoff.consent.ask") in consent.text
    assert consent.choices


async def test_three_signs_are_high_risk_and_the_answers_go_to_the_handoff(
    container: Container, monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, object]] = []

    async def offer(turn: object, **kwargs: object) -> list[Outbound]:
        calls.append(kwargs)
        return [Outbound("consent?")]

    monkeypatch.setattr(handoff, "offer", offer)
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    advice, consent = await answer_by_buttons(
        container, chat, yes=("fee", "contract", "travel_paid")
    )
    assert text_of(container, "risk_check.high") in advice.text
    assert consent.text == "consent?"
    assert calls == [{
        "topic": "smuggling", "priority": "high",
        "answers": {"fee": "yes", "contract": "yes", "passport": "no", "travel_paid": "yes",
                    "no_papers": "no", "risk": "high"},
    }]


async def test_typed_words_and_numbers_answer_too(container: Container) -> None:
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    for typed, question_next in (
        ("po", "contract"), ("2", "passport"), ("JO", "travel_paid"), ("1", "no_papers"),
    ):
        [reply] = await chat.say(typed)
        assert is_question(container, reply, question_next), typed
    [result] = await chat.say("Jo")
    assert text_of(container, "risk_check.medium") in result.text  # fee and travel_paid


async def test_what_is_not_an_answer_asks_the_same_question_again(container: Container) -> None:
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    await chat.say("jo")
    hint = container.translators["sq"]("risk.hint")
    for not_an_answer in ("7", "🙂", "nuk e di"):
        [again] = await chat.say(not_an_answer)
        assert hint in again.text and is_question(container, again, "contract"), not_an_answer
    [stale] = await chat.press("risk:fee:yes")  # a button of the first question
    assert is_question(container, stale, "contract")
    [reply] = await chat.say("po")
    assert is_question(container, reply, "passport")
    answers = (await state_of(container)).data["risk"]["answers"]
    assert answers == {"fee": "no", "contract": "yes"}


async def test_menu_leaves_the_check_mid_way(container: Container) -> None:
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    await chat.say("po")
    [menu] = await chat.say("menu")
    assert text_of(container, "menu") in menu.text
    assert (await state_of(container)).pending is None
    [after] = await chat.say("po")  # no longer an answer
    assert not any(c.id.startswith("risk:") for c in after.choices)
    [old_button] = await chat.press("risk:contract:yes")
    assert container.translators["sq"]("fallback.text") in old_button.text


async def test_the_menu_button_leaves_and_the_check_starts_afresh(container: Container) -> None:
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    await chat.say("po")
    [menu] = await chat.say("3")  # the third choice of a question: the menu
    assert text_of(container, "menu") in menu.text
    await chat.press("page:smuggling")
    [first] = await chat.press("page:risk_check")
    assert is_question(container, first, "fee")
    assert (await state_of(container)).data["risk"] == {"answers": {}}


async def test_a_danger_message_mid_way_gets_the_urgent_page(container: Container) -> None:
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    await chat.say("jo")
    replies = await chat.say(DANGER)
    assert any(text_of(container, "urgent") in reply.text for reply in replies)
    assert not any(is_question(container, reply, "passport") for reply in replies)
    assert (await state_of(container)).pending != "risk:passport"


async def test_the_check_in_english(container: Container) -> None:
    chat = Conversation(container, "tom")
    await chat.say("English")
    [smuggling] = await chat.press("page:smuggling")
    assert "Is this offer safe?" in [c.label for c in smuggling.choices]
    [first] = await chat.say(str(ids(smuggling).index("page:risk_check") + 1))
    assert text_of(container, "risk_check", "en") in first.text
    assert is_question(container, first, "fee", "en")
    assert [c.label for c in first.choices][:2] == ["Yes", "No"]
    for typed in ("no", "no", "no", "no"):
        await chat.say(typed)
    advice, *_ = await chat.say("yes")  # a crossing without papers
    assert text_of(container, "risk_check.high", "en") in advice.text


async def test_the_check_knows_every_question_page(container: Container) -> None:
    for locale in ("sq", "en"):
        for question in QUESTIONS:
            assert container.content.page(locale, f"risk_check.{question}").text
        for level in (LOW, MEDIUM, HIGH):
            assert container.content.page(locale, f"risk_check.{level}").sources


async def test_a_lone_pa_asks_the_question_again_and_opens_no_page(container: Container) -> None:
    """"pa" is no yes, and the NLU's reading of it (an offer to be smuggled) must not leave."""
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    [again] = await chat.say("pa")
    assert container.translators["sq"]("risk.hint") in again.text
    assert is_question(container, again, "fee")
    assert text_of(container, "smuggling") not in again.text
    assert (await state_of(container)).data["risk"]["answers"] == {}


@pytest.mark.parametrize("how", ["button", "number", "typed"])
async def test_a_passport_already_taken_stops_the_check_for_urgent_help_and_alerts_staff(
    container: Container, how: str,
) -> None:
    """Danger already happening: no more questions, the emergency numbers first, and an urgent
    referral to staff at once with the answers so far."""
    chat = Conversation(container, "arben")
    await open_check(container, chat)
    await chat.say("po")
    [passport] = await chat.say("jo")
    assert is_question(container, passport, "passport")
    said = {"button": None, "number": "3", "typed": "ma kane marre pasaporten"}[how]
    urgent, alerted = await (chat.press("risk:passport:taken") if said is None
                             else chat.say(said))
    assert urgent.text.startswith(text_of(container, "urgent"))
    assert alerted.text == container.translators["sq"]("handoff.urgent_alerted")
    state = await state_of(container)
    assert state.pending is None and state.page == "urgent"
    async with container.sessions() as session:
        [referral] = (await session.scalars(select(Referral))).all()
    assert (referral.topic, referral.priority, referral.gender) == ("urgent", "urgent", None)
    if said is None or said == "3":
        assert referral.answers == {"fee": "yes", "contract": "no", "passport": TAKEN,
                                    "risk": HIGH}
    [reply] = await chat.say("jo")  # the check is over: no more questions
    assert not any(c.id.startswith("risk:") for c in reply.choices)


def test_a_passport_already_taken_counts_as_a_serious_sign() -> None:
    assert score({"passport": TAKEN}) == HIGH
