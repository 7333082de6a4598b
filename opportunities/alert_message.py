"""The alert a subscriber gets: one new opportunity, or several grouped (they waited for the
day's alert), each with its kind, title, organisation, where, deadline and how to apply; and
always how to stop."""

from collections.abc import Sequence

from bot.i18n import N_, Translator
from bot.messages import Choice, Outbound
from bot.storage.catalogue import Opportunity

LIST_CHOICE = "alerts:list"
"""The alert's button: the person's subscriptions, each removable."""
KIND_LABELS = {"training": N_("alerts.kind.training"), "job": N_("alerts.kind.job"),
               "internship": N_("alerts.kind.internship"), "grant": N_("alerts.kind.grant"),
               "other": N_("alerts.kind.other")}
PLACE_LABELS = {"kukes": N_("handoff.municipality.kukes"), "has": N_("handoff.municipality.has"),
                "tropoje": N_("handoff.municipality.tropoje")}


def places(t: Translator, municipalities: Sequence[str]) -> str:
    if not municipalities:
        return t("alerts.everywhere")
    return ", ".join(t(PLACE_LABELS[m]) for m in municipalities if m in PLACE_LABELS)


def entry(t: Translator, opportunity: Opportunity) -> str:
    title = (opportunity.title_en if t.locale == "en" else "") or opportunity.title_sq
    deadline = (t("alerts.deadline", date=t.date(opportunity.deadline))
                if opportunity.deadline else t("alerts.no_deadline"))
    lines = [t("alerts.entry", kind=t(KIND_LABELS.get(opportunity.kind, KIND_LABELS["other"])),
               title=title, organisation=opportunity.organisation,
               where=places(t, opportunity.municipalities), deadline=deadline)]
    if opportunity.apply:
        lines.append(t("alerts.apply", how=opportunity.apply))
    return "\n".join(lines)


def alert(t: Translator, opportunities: Sequence[Opportunity]) -> Outbound:
    head = t("alerts.new_one") if len(opportunities) == 1 else t("alerts.new_many")
    parts = [head, *(entry(t, o) for o in opportunities), t("alerts.how_to_stop")]
    return Outbound("\n\n".join(parts), (Choice(LIST_CHOICE, t("alerts.list_choice")),))
