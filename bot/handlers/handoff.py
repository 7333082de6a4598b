"""Reaching a person: consent, a few short questions, a referral in the staff queue; then, once a
staff member has taken it, the young person's words go to them until they close it.

Consent comes first and says what is kept, who sees it and how to delete it; without it nothing
personal is asked or kept, and every topic stays open. Then only what staff need: municipality,
age band (under the minimum age, 16 by default: the content and a note, no referral and nothing
kept), gender (not for urgent or high priority), how to be reached, one line in their own words,
and a last look before it is sent. The questions and how a typed answer fills each are declared
in :mod:`bot.flows.handoff`; this module does what the answers lead to.

A danger message is different: the emergency numbers come first (the urgent page) and an urgent
referral goes to staff at once, with no question in the way.
"""

from collections.abc import Mapping
from dataclasses import replace

from bot import flows
from bot.content import MENU
from bot.flows.handoff import FLOW
from bot.flows.interpret import AGE_BANDS
from bot.handlers.opportunity_text import remind_choice
from bot.messages import Media, Outbound
from bot.routes import AskAgain, Feedback, FlowAnswer, TalkToPerson
from bot.staff import WITH_STAFF
from bot.turn import Turn
from nlu.base import URGENT_INTENT
from referrals.queue import ReferralQueue

HIGH_PRIORITY_TOPICS = ("smuggling",)
"""Someone asking for a person about an offer to be taken across is a high-priority case."""
DEPARTURE_TOPICS = ("migration", "smuggling", "human")
"""Topics where a departure that is near makes the referral high priority."""
AGE_TOP = dict(AGE_BANDS)
"""The oldest age in each band: a band whose oldest is under the minimum age gets no referral."""


async def offer(
    turn: Turn, *, topic: str, priority: str = "normal", answers: dict[str, str] | None = None,
    known: Mapping[str, str] | None = None,
) -> list[Outbound]:
    """Start the questions for a referral on ``topic`` (unless one is open already). Nothing
    when no staff group is set up: nobody would see the request. ``known``: answers given
    already (not asked again) and facts about the request (the opportunity it is about)."""
    if turn.staff.chat is None:
        return []
    if await ReferralQueue(turn.uow.referrals).open_for_user(turn.user.id) is not None:
        return [turn.show(MENU, before=turn.t("handoff.already_open"))]
    given = {**(known or {}), "topic": topic, "priority": priority,
             "answers": dict(answers or {})}
    return [flows.start(turn, FLOW.name, given)]


async def start(turn: Turn) -> list[Outbound]:
    """The "talk to a person" choice of a topic page."""
    topic = turn.route.arg(TalkToPerson).topic or "human"
    priority = "high" if topic in HIGH_PRIORITY_TOPICS else "normal"
    return await offer(turn, topic=topic, priority=priority) or [turn.show(MENU)]


async def answer(turn: Turn) -> list[Outbound]:
    """One answer, already understood; then the next question, or the request goes to staff."""
    given = turn.route.arg(FlowAnswer)
    step = FLOW.step(given.step)
    values = FLOW.form(turn.state)
    if values is None or step is None:
        return [turn.show(MENU)]
    value = given.value
    if (why := step.gives_up.get(value)) is not None:
        return _give_up(turn, why)
    if step.name == "consent":
        turn.user.consent_at = turn.now
    if step.name == "age" and AGE_TOP[value] < turn.staff.min_age:
        return _too_young(turn, str(values.get("topic", "")))
    if step.name == "summary" and values.get("topic") in DEPARTURE_TOPICS and _leaving_soon(turn):
        FLOW.keep(turn.state, "priority", "high")
    following = FLOW.advance(turn, step, value)
    return [following] if following is not None else await _send(turn)


async def ask_again(turn: Turn) -> list[Outbound]:
    """What came cannot answer the question: the question again (the menu if the answers so far
    are gone)."""
    if FLOW.form(turn.state) is None:
        return [turn.show(MENU)]
    return [flows.ask_again(turn, turn.route.arg(AskAgain))]


def _leaving_soon(turn: Turn) -> bool:
    """The line in their own words says the departure is near ("nisem neser")."""
    return turn.parse is not None and "soon" in turn.parse.entity_values().get("departure", [])


async def _send(turn: Turn) -> list[Outbound]:
    """Every question answered: the referral goes to the staff queue."""
    values = FLOW.values(turn.state)
    FLOW.forget(turn.state)
    answers = values.get("answers")
    referral = await ReferralQueue(turn.uow.referrals).create(
        user_id=turn.user.id, channel=turn.inbound.channel, topic=str(values["topic"]),
        priority=str(values["priority"]), municipality=_text(values, "municipality"),
        age_band=_text(values, "age"), gender=_text(values, "gender"),
        contact=_text(values, "contact"), summary=_text(values, "summary"),
        answers=answers if isinstance(answers, dict) else {},
        opportunity_id=_text(values, "opportunity_id"),
        opportunity_title=_text(values, "opportunity_title"),
        partner=turn.staff.partner_for(str(values["topic"])),  # named by the consent question
    )
    turn.staff.new_referral(turn.uow, referral)
    sent = turn.show(MENU, before=turn.t("handoff.sent"))
    if (key := values.get("opportunity_key")) is None:
        return [sent]
    return [replace(sent, choices=(remind_choice(turn.t, str(key)), *sent.choices))]


def _text(values: dict[str, object], key: str) -> str | None:
    value = values.get(key)
    return str(value) if value else None


def _give_up(turn: Turn, why: str) -> list[Outbound]:
    """No referral after all: the answers are forgotten, the topics stay open."""
    FLOW.forget(turn.state)
    return [turn.show(MENU, before=turn.t(why))]


def _too_young(turn: Turn, topic: str) -> list[Outbound]:
    """Under the minimum age, consent needs a parent or guardian: nothing personal is kept (not
    even the consent given), and the note comes with the content of their topic."""
    FLOW.forget(turn.state)
    turn.user.consent_at = None
    page = topic if turn.content.has_page(topic) else MENU
    return [turn.show(page, before=turn.t("handoff.too_young"))]


async def to_staff(turn: Turn) -> list[Outbound]:
    """A person has the conversation: the message goes to them, and the bot stays quiet."""
    text = turn.inbound.text if turn.inbound.media is Media.TEXT else None
    await turn.staff.from_user(turn.uow, int(turn.state.data[WITH_STAFF]), text)
    return []


async def feedback(turn: Turn) -> list[Outbound]:
    """The answer to "did this help?" after staff closed the request."""
    referral = await ReferralQueue(turn.uow.referrals).last_closed_for_user(turn.user.id)
    if referral is not None:
        turn.uow.referrals.record(referral, "feedback", turn.now,
                                  detail=turn.route.arg(Feedback).answer)
    return [turn.show(MENU, before=turn.t("feedback.thanks"))]


async def alert_danger(turn: Turn, answers: dict[str, str] | None = None) -> bool:
    """A danger message (or an answer of the offer check, kept in ``answers``, that shows danger
    happening now): an urgent referral to staff at once (no personal data asked), unless one is
    open already; while a person has the conversation, they see the message too.
    True when staff were alerted now."""
    if WITH_STAFF in turn.state.data:
        await turn.staff.from_user(turn.uow, int(turn.state.data[WITH_STAFF]), turn.inbound.text)
        return False
    if turn.staff.chat is None or await ReferralQueue(turn.uow.referrals).open_for_user(
            turn.user.id):
        return False
    referral = await ReferralQueue(turn.uow.referrals).create(
        user_id=turn.user.id, channel=turn.inbound.channel, topic="urgent", priority="urgent",
        answers=answers or {},
    )
    turn.staff.new_referral(turn.uow, referral)
    return True


async def after_danger(turn: Turn) -> list[Outbound]:
    """For a danger message (urgent help understood): alert staff, and say so after the
    emergency numbers. Nothing for any other message."""
    if turn.parse is None or turn.parse.intent.name != URGENT_INTENT:
        return []
    return [Outbound(turn.t("handoff.urgent_alerted"))] if await alert_danger(turn) else []
