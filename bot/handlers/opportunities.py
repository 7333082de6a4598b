"""Open opportunities in the conversation: a question about trainings, jobs or business support
(or a topic page's "what's open now" button) gets the open ones that match, a few at a time
with "more"; each has its "I'm interested" button, which starts the referral questions with the
topic and the opportunity filled in. With none that match, the page the question led to, as
before, after a line saying so (no such line while the topic has nothing open at all: an empty
catalogue changes nothing). Every opportunity shown counts as a view, every press as
"interested" (``opportunity_events``, for the reports). Once the request is sent (or, with no
staff group, with how to apply), a "remind me 3 days before the deadline" button: the only way a
reminder is ever kept (:mod:`opportunities.reminders` sends it).
"""

from dataclasses import replace
from datetime import date

from bot.content import MENU
from bot.flows.interpret import AGE_BANDS
from bot.handlers import directory, handoff, profile
from bot.handlers.opportunity_text import PLACE_LABELS, listing_text, remind_choice
from bot.messages import Choice, Outbound
from bot.routes import FindOpportunities, Interested, Remind
from bot.turn import PAGE_CHOICE, Turn
from opportunities.matching import (
    PAGE_SIZE,
    TOPIC_KINDS,
    TOPIC_OF_KIND,
    Found,
    Index,
    Listing,
    Wanted,
    match,
)
from opportunities.reminders import remind_on
from referrals.lifecycle import Status

ASKED = "opportunities"
"""``state.data`` key: the municipality the list shown last was for (a referral from it knows
where they live)."""
MUNICIPALITIES = tuple(PLACE_LABELS)
OTHER_TOPIC = "human"
"""The referral topic of an opportunity of kind ``other``."""


async def show(turn: Turn) -> list[Outbound]:
    asked = turn.route.arg(FindOpportunities)
    topic = asked.topic
    if topic not in TOPIC_KINDS or not turn.content.has_page(topic):
        return [turn.show(MENU)]  # a button the bot never made
    if asked.municipality not in MUNICIPALITIES:
        asked = replace(asked, municipality=None)
    today = turn.now.date()
    index = await turn.opportunities.index(turn.uow, today)
    ages = await _ages(turn)
    found = match(index, Wanted(topic, asked.municipality, asked.sector, ages), today, asked.page)
    if not found.listings:
        return [await _none(turn, asked, index, ages), *await profile.after_helpful_answer(turn)]
    turn.uow.catalogue.count("view", [item.id for item in found.listings], turn.now)
    data = {k: v for k, v in turn.state.data.items() if k != ASKED}
    turn.state.data = {**data, ASKED: {"municipality": asked.municipality}} \
        if asked.municipality else data
    turn.state.page = topic  # a follow-up ("po ne Has?") is about this topic
    return [_listed(turn, asked, found), *await profile.after_helpful_answer(turn)]


async def current_choice(turn: Turn, page_id: str) -> Choice | None:
    """The "what's open now" button of a topic page, while the topic has something open."""
    if page_id not in TOPIC_KINDS:
        return None
    index = await turn.opportunities.index(turn.uow, turn.now.date())
    if not index.has_any(page_id, turn.now.date()):
        return None
    return Choice(FindOpportunities(page_id).choice_id(), turn.t("opportunities.current"))


async def interested(turn: Turn) -> list[Outbound]:
    """ "I'm interested": the referral questions, with what is known already; without a staff
    group (nobody would see a request), how to apply by themselves."""
    today = turn.now.date()
    listing = (await turn.opportunities.index(turn.uow, today)).get(
        turn.route.arg(Interested).key)
    if listing is None or (listing.deadline is not None and listing.deadline < today):
        return [turn.show(MENU, before=turn.t("opportunities.closed"))]
    turn.uow.catalogue.count("interested", [listing.id], turn.now)
    topic = TOPIC_OF_KIND.get(listing.kind, OTHER_TOPIC)
    known = {"opportunity_id": listing.id, "opportunity_title": listing.title_sq,
             "summary": ""}  # what they want is the opportunity: no need to ask it in words
    if _remindable(listing, today):
        known["opportunity_key"] = listing.key  # the reminder is offered once it is sent
    where = turn.state.data.get(ASKED, {}).get("municipality")
    if where in listing.municipalities or (where and not listing.municipalities):
        known["municipality"] = where
    return await handoff.offer(turn, topic=topic, known=known) or [_by_themselves(turn, listing)]


async def remind(turn: Turn) -> list[Outbound]:
    """ "Remind me 3 days before the deadline": kept for the scheduler (opt-in, this press)."""
    today = turn.now.date()
    listing = (await turn.opportunities.index(turn.uow, today)).get(turn.route.arg(Remind).key)
    if listing is None or listing.deadline is None or listing.deadline < today:
        return [turn.show(MENU, before=turn.t("opportunities.closed"))]
    if not _remindable(listing, today):
        return [turn.show(MENU, before=turn.t("opportunities.remind.too_close"))]
    day = remind_on(listing.deadline)
    await turn.uow.reminders.ask(turn.user.id, listing.id, day)
    return [turn.show(MENU, before=turn.t("opportunities.remind.set", date=turn.t.date(day)))]


def _remindable(listing: Listing, today: date) -> bool:
    return listing.deadline is not None and remind_on(listing.deadline) > today


async def _none(turn: Turn, asked: FindOpportunities, index: Index,
                ages: tuple[int, int] | None) -> Outbound:
    """The page the question led to, after a line saying there is nothing (more); with a
    button to everything open on the topic when the question's filters left nothing."""
    today = turn.now.date()
    page_id = asked.page_id if asked.page_id and turn.content.has_page(asked.page_id) \
        else asked.topic
    if asked.page > 0:
        lead = turn.t("opportunities.no_more")
    else:
        lead = turn.t("opportunities.none") if index.has_any(asked.topic, today) else ""
    reply = await directory.show(turn, page_id, before=lead)
    broader = FindOpportunities(asked.topic)
    if lead and broader != replace(asked, page_id=None) and match(
            index, Wanted(asked.topic, ages=ages), today).listings:
        choice = Choice(broader.choice_id(), turn.t("opportunities.current"))
        reply = replace(reply, choices=(choice, *reply.choices))
    return reply


def _listed(turn: Turn, asked: FindOpportunities, found: Found) -> Outbound:
    first = asked.page * PAGE_SIZE + 1
    numbered = list(enumerate(found.listings, start=first))
    blocks = [turn.t("opportunities.found")]
    blocks += [listing_text(turn.t, turn.locale, item, number) for number, item in numbered]
    choices = [Choice(Interested(item.key).choice_id(),
                      turn.t("opportunities.interested", number=number))
               for number, item in numbered]
    if found.more:
        following = replace(asked, page=asked.page + 1, page_id=None)
        choices.append(Choice(following.choice_id(), turn.t("opportunities.more")))
    choices += [Choice(PAGE_CHOICE + asked.topic, turn.page(asked.topic).title),
                Choice(PAGE_CHOICE + MENU, turn.page(MENU).title)]
    return Outbound("\n\n".join(blocks), tuple(choices))


def _by_themselves(turn: Turn, listing: Listing) -> Outbound:
    how = listing.apply or listing.contact
    topic = TOPIC_OF_KIND.get(listing.kind)
    page = topic if topic and turn.content.has_page(topic) else MENU
    lead = turn.t("opportunities.apply_directly", title=listing.title(turn.locale), how=how) \
        if how else ""
    reply = turn.show(page, before=lead)
    if not _remindable(listing, turn.now.date()):
        return reply
    return replace(reply, choices=(remind_choice(turn.t, listing.key), *reply.choices))


async def _ages(turn: Turn) -> tuple[int, int] | None:
    """The youngest and oldest age of the band the user gave in their latest request to
    staff, if they gave one."""
    latest = await turn.uow.referrals.newest_for_user(
        turn.user.id, [status.value for status in Status])
    bands = [("", -1), *AGE_BANDS]
    for (_, before), (band, oldest) in zip(bands, bands[1:], strict=False):
        if latest is not None and latest.age_band == band:
            return before + 1, oldest
    return None
