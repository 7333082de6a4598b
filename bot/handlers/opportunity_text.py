"""One open opportunity as a young person reads it: kind and title, who runs it, where, the
deadline in their language's date format ("Afati: 15 janar 2027"), who may apply, how to apply,
and when someone last checked it. The summary stays out: three of these must fit one message.
Also the button that asks for a reminder of the deadline, and the reminder itself."""

from bot.i18n import N_, Translator
from bot.messages import Choice
from bot.routes import Remind
from bot.storage.catalogue import Opportunity
from opportunities.matching import Listing

KIND_LABELS = {"training": N_("opportunities.kind.training"), "job": N_("opportunities.kind.job"),
               "internship": N_("opportunities.kind.internship"),
               "grant": N_("opportunities.kind.grant"), "other": N_("opportunities.kind.other")}
PLACE_LABELS = {"kukes": N_("handoff.municipality.kukes"), "has": N_("handoff.municipality.has"),
                "tropoje": N_("handoff.municipality.tropoje")}
"""The municipalities, all three shown for an opportunity open to any of them."""


def listing_text(t: Translator, locale: str, listing: Listing, number: int) -> str:
    lines = [t("opportunities.heading", number=number,
               kind=t(KIND_LABELS.get(listing.kind, KIND_LABELS["other"])),
               title=listing.title(locale))]
    if listing.organisation:
        lines.append(t("opportunities.organisation", organisation=listing.organisation))
    places = listing.municipalities or tuple(PLACE_LABELS)
    lines.append(t("opportunities.where", places=", ".join(
        t(PLACE_LABELS[p]) if p in PLACE_LABELS else p for p in places)))
    lines.append(t("opportunities.deadline", date=t.date(listing.deadline)) if listing.deadline
                 else t("opportunities.no_deadline"))
    lines.append(_ages(t, listing.min_age, listing.max_age))
    if listing.apply:
        lines.append(t("opportunities.apply", how=listing.apply))
    if listing.contact:
        lines.append(t("opportunities.contact", contact=listing.contact))
    lines.append(t("opportunities.checked", date=t.date(listing.checked)))
    return "\n".join(lines)


def _ages(t: Translator, low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return t("opportunities.ages.range", low=low, high=high)
    if low is not None:
        return t("opportunities.ages.from", low=low)
    if high is not None:
        return t("opportunities.ages.to", high=high)
    return t("opportunities.ages.any")


def remind_choice(t: Translator, key: str) -> Choice:
    """The opt-in to a deadline reminder, offered once someone said "I'm interested"."""
    return Choice(Remind(key).choice_id(), t("opportunities.remind.choice"))


def reminder_text(t: Translator, opportunity: Opportunity) -> str:
    """The deadline reminder (:mod:`opportunities.reminders`), with how to stop them all."""
    title = opportunity.title_en if t.locale == "en" and opportunity.title_en \
        else opportunity.title_sq
    deadline = t.date(opportunity.deadline) if opportunity.deadline else ""
    lines = [t("opportunities.reminder", title=title, date=deadline)]
    if how := opportunity.apply or opportunity.contact:
        lines.append(t("opportunities.apply", how=how))
    lines.append(t("opportunities.reminder.stop"))
    return "\n\n".join(lines)
