"""Reaching a person: consent, a few short questions, a referral in the staff queue; then, once a
staff member has taken it, the young person's words go to them until they close it.

Consent comes first and says what is kept, who sees it and how to delete it; without it nothing
personal is asked or kept, and every topic stays open. Then only what staff need: municipality,
age band (under the minimum age: the content and a note, no referral), gender (for donor figures;
"rather not say" is fine), how to be reached (here, or a phone number), one line in their own
words, and a last look before it is sent. Each answer is a choice (button, number or label),
except the phone number and the line in their own words.

A danger message is different: the emergency numbers come first (the urgent page) and an urgent
referral goes to staff at once, with no question in the way.
"""

import re

from bot.content import MENU
from bot.i18n import N_
from bot.messages import Choice, Media, Outbound
from bot.staff import WITH_STAFF
from bot.turn import AGE_BANDS, HANDOFF_ANSWER, PENDING_HANDOFF, Turn
from nlu.base import URGENT_INTENT
from referrals.queue import ReferralQueue

FORM = "handoff"
"""The conversation-state key of the answers so far."""
Form = dict[str, object]
HIGH_PRIORITY_TOPICS = ("smuggling",)
"""Someone asking for a person about an offer to be taken across is a high-priority case."""
DEPARTURE_TOPICS = ("migration", "smuggling", "human")
"""Topics where a departure that is near makes the referral high priority."""
OPTIONS: dict[str, tuple[str, ...]] = {
    "consent": ("yes", "no"),
    "municipality": ("kukes", "has", "tropoje", "other"),
    "age": tuple(band for band, _oldest in AGE_BANDS),
    "gender": ("female", "male", "other", "unsaid"),
    "contact": ("chat", "phone"),
    "phone": (),
    "summary": (),
    "confirm": ("send", "cancel"),
}
"""Each question and its answers, in the order they are asked."""
QUESTIONS = {
    "consent": N_("handoff.consent.ask"), "municipality": N_("handoff.municipality.ask"),
    "age": N_("handoff.age.ask"), "gender": N_("handoff.gender.ask"),
    "contact": N_("handoff.contact.ask"), "phone": N_("handoff.phone.ask"),
    "summary": N_("handoff.summary.ask"), "confirm": N_("handoff.confirm.ask"),
}
LABELS = {
    "yes": N_("handoff.consent.yes"), "no": N_("handoff.consent.no"),
    "kukes": N_("handoff.municipality.kukes"), "has": N_("handoff.municipality.has"),
    "tropoje": N_("handoff.municipality.tropoje"), "other": N_("handoff.option.other"),
    "u15": N_("handoff.age.u15"), "15_17": N_("handoff.age.15_17"),
    "18_24": N_("handoff.age.18_24"), "25_29": N_("handoff.age.25_29"),
    "30p": N_("handoff.age.30p"), "female": N_("handoff.gender.female"),
    "male": N_("handoff.gender.male"), "unsaid": N_("handoff.gender.unsaid"),
    "chat": N_("handoff.contact.chat"), "phone": N_("handoff.contact.phone"),
    "send": N_("handoff.confirm.send"), "cancel": N_("handoff.confirm.cancel"),
}
AGE_TOP = dict(AGE_BANDS)
"""The oldest age in each band: a band whose oldest is under the minimum age gets no referral."""
_PHONE_ALBANIA = re.compile(r"^(?:\+355|00355|0)(6[6-9]\d{7}|[2-58]\d{6,7})$")
"""A mobile (06x, 9 digits after the 0) or a landline (area code and number)."""
_PHONE_ABROAD = re.compile(r"^(?:\+|00)(?!355)([1-9]\d{7,14})$")
SUMMARY_MAX = 300


async def offer(
    turn: Turn, *, topic: str, priority: str = "normal", answers: dict[str, str] | None = None,
) -> list[Outbound]:
    """Start the questions for a referral on ``topic`` (unless one is open already). Nothing
    when no staff group is set up: nobody would see the request."""
    if turn.staff.chat is None:
        return []
    if await ReferralQueue(turn.uow.referrals).open_for_user(turn.user.id) is not None:
        return [turn.show(MENU, before=turn.t("handoff.already_open"))]
    form = {"topic": topic, "priority": priority, "answers": dict(answers or {})}
    turn.state.data = {**turn.state.data, FORM: form}
    return [_ask(turn, "consent")]


async def start(turn: Turn) -> list[Outbound]:
    """The "talk to a person" choice of a topic page (its target is the topic)."""
    topic = turn.route.target or "human"
    priority = "high" if topic in HIGH_PRIORITY_TOPICS else "normal"
    return await offer(turn, topic=topic, priority=priority) or [turn.show(MENU)]


async def answer(turn: Turn) -> list[Outbound]:
    """One answer: the route's target is ``step:option`` (option empty for typed text)."""
    form = turn.state.data.get(FORM)
    step, _, option = (turn.route.target or "").partition(":")
    if form is None or step not in OPTIONS:
        return [turn.show(MENU)]
    if OPTIONS[step] and option not in OPTIONS[step]:
        return [_ask(turn, step, before=turn.t("handoff.pick_one"))]
    return await _STEPS[step](turn, dict(form), step, option or turn.inbound.text.strip())


async def _consent(turn: Turn, form: Form, _step: str, value: str) -> list[Outbound]:
    if value != "yes":
        return _give_up(turn, N_("handoff.consent.declined"))
    turn.user.consent_at = turn.now
    return _next(turn, form, "consent", value)


async def _age(turn: Turn, form: Form, _step: str, value: str) -> list[Outbound]:
    if AGE_TOP[value] < turn.staff.min_age:
        return _give_up(turn, N_("handoff.too_young"))
    return _next(turn, form, "age", value)


async def _contact(turn: Turn, form: Form, _step: str, value: str) -> list[Outbound]:
    if value == "phone":
        return _next(turn, form, "contact", value, then="phone")
    return _next(turn, form, "contact", value, then="summary")


async def _phone(turn: Turn, form: Form, _step: str, text: str) -> list[Outbound]:
    number = phone_number(text)
    if number is None:
        return [_ask(turn, "phone", before=turn.t("handoff.phone.invalid"))]
    return _next(turn, form, "contact", number, then="summary")


async def _summary(turn: Turn, form: Form, _step: str, text: str) -> list[Outbound]:
    if not text:
        return [_ask(turn, "summary")]
    if form.get("topic") in DEPARTURE_TOPICS and _leaving_soon(turn):
        form["priority"] = "high"
    return _next(turn, form, "summary", text[:SUMMARY_MAX])


def _leaving_soon(turn: Turn) -> bool:
    """The line in their own words says the departure is near ("nisem neser")."""
    return turn.parse is not None and "soon" in turn.parse.entity_values().get("departure", [])


async def _choice(turn: Turn, form: Form, step: str, value: str) -> list[Outbound]:
    return _next(turn, form, step, value)


async def _confirm(turn: Turn, form: Form, _step: str, value: str) -> list[Outbound]:
    if value != "send":
        return _give_up(turn, N_("handoff.cancelled"))
    _forget(turn)
    answers = form.get("answers")
    referral = await ReferralQueue(turn.uow.referrals).create(
        user_id=turn.user.id, channel=turn.inbound.channel, topic=str(form["topic"]),
        priority=str(form["priority"]), municipality=_text(form, "municipality"),
        age_band=_text(form, "age"), gender=_text(form, "gender"),
        contact=_text(form, "contact"), summary=_text(form, "summary"),
        answers=answers if isinstance(answers, dict) else {},
    )
    turn.staff.new_referral(turn.uow, referral)
    return [turn.show(MENU, before=turn.t("handoff.sent"))]


_STEPS = {"consent": _consent, "municipality": _choice, "age": _age, "gender": _choice,
          "contact": _contact, "phone": _phone, "summary": _summary, "confirm": _confirm}


def _next(
    turn: Turn, form: Form, field: str, value: str, then: str | None = None,
) -> list[Outbound]:
    """Keep the answer; ask the next question (``then``, or the one after ``field``'s)."""
    form[field] = value
    turn.state.data = {**turn.state.data, FORM: form}
    steps = [step for step in OPTIONS if step != "phone"]
    following = then or steps[steps.index(field) + 1]
    if following == "confirm":
        return [_ask(turn, "confirm", before=_overview(turn, form))]
    return [_ask(turn, following)]


def _ask(turn: Turn, step: str, before: str = "") -> Outbound:
    turn.state.pending = PENDING_HANDOFF + step
    choices = tuple(Choice(f"{HANDOFF_ANSWER}{step}:{option}", turn.t(LABELS[option]))
                    for option in OPTIONS[step])
    text = "\n\n".join(part for part in (before, turn.t(QUESTIONS[step])) if part)
    return Outbound(text, choices)


def _overview(turn: Turn, form: Form) -> str:
    """What will go to staff, in the user's words, for a last look."""
    def label(field: str) -> str:
        value = str(form.get(field, ""))
        return turn.t(LABELS[value]) if value in LABELS else value or "-"

    return turn.t("handoff.overview", municipality=label("municipality"), age=label("age"),
                  gender=label("gender"), contact=label("contact"), summary=label("summary"))


def _text(form: Form, field: str) -> str | None:
    value = form.get(field)
    return str(value) if value else None


def _give_up(turn: Turn, why: str) -> list[Outbound]:
    """No referral after all: the answers are forgotten, the topics stay open."""
    _forget(turn)
    return [turn.show(MENU, before=turn.t(why))]


def _forget(turn: Turn) -> None:
    turn.state.data = {k: v for k, v in turn.state.data.items() if k != FORM}


def phone_number(text: str) -> str | None:
    """An Albanian number as +355…, or an international one as +…; None otherwise."""
    digits = re.sub(r"[\s\-().]", "", text)
    if found := _PHONE_ALBANIA.match(digits):
        return "+355" + found.group(1)
    if found := _PHONE_ABROAD.match(digits):
        return "+" + found.group(1)
    return None


async def to_staff(turn: Turn) -> list[Outbound]:
    """A person has the conversation: the message goes to them, and the bot stays quiet."""
    text = turn.inbound.text if turn.inbound.media is Media.TEXT else None
    await turn.staff.from_user(turn.uow, int(turn.state.data[WITH_STAFF]), text)
    return []


async def feedback(turn: Turn) -> list[Outbound]:
    """The answer to "did this help?" after staff closed the request."""
    referral = await ReferralQueue(turn.uow.referrals).last_closed_for_user(turn.user.id)
    if referral is not None:
        turn.uow.referrals.record(referral, "feedback", turn.now, detail=turn.route.target)
    return [turn.show(MENU, before=turn.t("feedback.thanks"))]


async def alert_danger(turn: Turn) -> bool:
    """A danger message: an urgent referral to staff at once (no personal data asked), unless
    one is open already; while a person has the conversation, they see the message too.
    True when staff were alerted now."""
    if WITH_STAFF in turn.state.data:
        await turn.staff.from_user(turn.uow, int(turn.state.data[WITH_STAFF]), turn.inbound.text)
        return False
    if turn.staff.chat is None or await ReferralQueue(turn.uow.referrals).open_for_user(
            turn.user.id):
        return False
    referral = await ReferralQueue(turn.uow.referrals).create(
        user_id=turn.user.id, channel=turn.inbound.channel, topic="urgent", priority="urgent",
    )
    turn.staff.new_referral(turn.uow, referral)
    return True


async def after_danger(turn: Turn) -> list[Outbound]:
    """For a danger message (urgent help understood): alert staff, and say so after the
    emergency numbers. Nothing for any other message."""
    if turn.parse is None or turn.parse.intent.name != URGENT_INTENT:
        return []
    return [Outbound(turn.t("handoff.urgent_alerted"))] if await alert_danger(turn) else []
