"""The issue's acceptance, through the real python-telegram-bot Application against the fake Bot
API: a young person in Has asks in Gheg for an IT course, sees the two open ones that fit (not
the expired one, not the one for Tropojë only), taps "I'm interested", consents, answers only
what the bot does not know yet, and the card in the staff group (and its queue) names the
course."""

from sqlalchemy import select

from bot.storage.models import Referral
from tests.support.opportunities import publish, row
from tests.support.staff_group import CASEWORKER, STAFF_CHAT, USER, Desk


def buttons(desk: Desk) -> list[str]:
    """The callback data of the latest bot message's buttons in the young person's chat."""
    rows = desk.api.bot_messages(USER)[-1].get("reply_markup", {}).get("inline_keyboard", [])
    return [button["callback_data"] for line in rows for button in line]


async def test_an_it_course_in_has_from_question_to_the_staff_card(desk: Desk) -> None:
    await publish(
        desk.container,
        row("it-krume", places="has", sectors="ict", days=25, title_sq="Kurs IT në Krumë"),
        row("it-qarku", sectors="ict", days=40, title_sq="Programim për fillestarë"),
        row("it-old", places="has", sectors="ict", days=10, title_sq="Kurs IT i vjetër"),
        row("it-bc", places="tropoje", sectors="ict", days=15, title_sq="Kurs IT në Bajram Curri"),
        expired=("it-old",),
    )
    await desk.api.push_message(USER, "/start")
    await desk.user_gets(1)
    await desk.api.push_message(USER, "a ka kurse IT n Has qe fillojne muajin tjeter?")
    listed = (await desk.user_gets(2))[-1]
    assert "1. Kurs: Kurs IT në Krumë" in listed and "2. Kurs: Programim për fillestarë" in listed
    assert "vjetër" not in listed and "Bajram Curri" not in listed
    wanted = [data for data in buttons(desk) if data.startswith("opp:want:")]
    assert wanted == ["opp:want:it-krume", "opp:want:it-qarku"]

    await desk.api.push_callback(USER, "opp:want:it-krume")
    asked = [(await desk.user_gets(3))[-1]]
    for number, press in enumerate(("ho:consent:yes", "ho:age:18_24", "ho:gender:male",
                                    "ho:contact:chat"), start=4):
        await desk.api.push_callback(USER, press)
        asked.append((await desk.user_gets(number))[-1])
    questions = ("handoff.consent.ask", "handoff.age.ask", "handoff.gender.ask",
                 "handoff.contact.ask", "handoff.confirm.ask")
    assert all(desk.t(key) in text for key, text in zip(questions, asked, strict=True))
    assert all(desk.t("handoff.municipality.ask") not in text for text in asked)
    await desk.api.push_callback(USER, "ho:confirm:send")
    assert desk.t("handoff.sent") in (await desk.user_gets(8))[-1]

    [card] = await desk.staff_get(1)
    assert desk.t("staff.card.opportunity", title="Kurs IT në Krumë", id="it-krume") in card
    assert desk.t("handoff.municipality.has") in card
    await desk.api.push_message(STAFF_CHAT, "/queue", user_id=CASEWORKER)
    assert (await desk.staff_get(2))[-1].endswith(" · Kurs IT në Krumë")  # the queue names it
    async with desk.container.sessions() as session:
        referral = await session.scalar(select(Referral))
    assert referral is not None and referral.opportunity_id == "it-krume"
