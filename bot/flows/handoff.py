"""The referral questions, as data: what is asked before a request goes to staff.

Consent comes first and says what is kept, who sees it and how to delete it. Then only what
staff need: municipality, age band, gender (for donor figures; "rather not say" is fine; not
asked for urgent or high-priority referrals), how to be reached (here, or a phone number), one
line in their own words, and a last look before it is sent. Each answer is a choice (button,
number or label) or what the step's interpreters read in the words typed; the phone number and
the line in their own words are typed. A question about another topic leaves the questions for
its page; a cry for help always wins.

Answer buttons are ``ho:<step>:<option>``; a page's "talk to a person" button is
``handoff:<topic>``. The answers so far are ``state.data["handoff"]``: the topic, the priority,
anything known on entry (e.g. the offer check's answers) and each step's answer. What the answers
lead to (the referral, the age limit) is the handoff handler's.
"""

from typing import Any

from bot.flows.base import Flow, OnTopic, Option, Pending, Step
from bot.flows.interpret import (
    AGE_BANDS,
    AgeBand,
    EntityValue,
    FreeText,
    PhoneNumber,
    YesNo,
    phone_number,
)
from bot.i18n import N_
from bot.messages import Choice
from bot.routes import Route, RouteName, TalkToPerson
from bot.turn import HANDOFF_CHOICE, Turn

NAME = "handoff"
SUMMARY_MAX = 300
STATISTICS_SKIPPED = ("urgent", "high")
"""Priorities whose referrals skip the question asked only for statistics (gender): nothing
that is not needed to help stands in the way of an urgent case."""
AGE_LABELS = {"u16": N_("handoff.age.u16"), "16_17": N_("handoff.age.16_17"),
              "18_24": N_("handoff.age.18_24"), "25_29": N_("handoff.age.25_29"),
              "30p": N_("handoff.age.30p")}
"""The labels of the age question's answers."""
FORMER_AGE_LABELS = {"u15": N_("handoff.age.u15"), "15_17": N_("handoff.age.15_17")}
"""Bands given before the first band became "under 16" (referrals stored then, answers of a
conversation under way at the upgrade): still shown with their labels, never offered."""


class HandoffFlow(Flow):
    def press(self, choice_id: str, pending: Pending | None) -> Route | None:
        """Also the "talk to a person" button of a page, which starts the questions."""
        if choice_id.startswith(HANDOFF_CHOICE):
            return Route(RouteName.HANDOFF, TalkToPerson(choice_id.removeprefix(HANDOFF_CHOICE)))
        return super().press(choice_id, pending)

    def render(self, turn: Turn, step: Step) -> tuple[str, tuple[Choice, ...]]:
        """The consent question names the partner organisation the topic goes to, if any: its
        workers will see the answers too."""
        question, buttons = super().render(turn, step)
        topic = self.values(turn.state).get("topic")
        partner = turn.staff.partner_for(str(topic)) if step.name == "consent" else None
        if partner is None:
            return question, buttons
        return turn.t("handoff.consent.ask_partner", organisation=partner), buttons

    def lead_in(self, turn: Turn, step: Step) -> str:
        """Before the last question, what will go to staff, for a last look."""
        return overview(turn, self.values(turn.state)) if step.name == "confirm" else ""


FLOW = HandoffFlow(
    name=NAME,
    choice_prefix="ho:",
    answer_route=RouteName.HANDOFF_ANSWER,
    ask_route=RouteName.HANDOFF_ASK,
    on_topic=OnTopic.SHOW_PAGE,
    hint=N_("handoff.pick_one"),
    steps=(
        Step("consent", N_("handoff.consent.ask"), always=True,
             options=(Option("yes", N_("handoff.consent.yes")),
                      Option("no", N_("handoff.consent.no"))),
             fills=(YesNo(),), gives_up={"no": N_("handoff.consent.declined")}),
        Step("municipality", N_("handoff.municipality.ask"),
             options=(Option("kukes", N_("handoff.municipality.kukes")),
                      Option("has", N_("handoff.municipality.has")),
                      Option("tropoje", N_("handoff.municipality.tropoje")),
                      Option("other", N_("handoff.option.other"))),
             fills=(EntityValue("municipality"),)),
        Step("age", N_("handoff.age.ask"),
             options=tuple(Option(band, AGE_LABELS[band]) for band, _oldest in AGE_BANDS),
             fills=(AgeBand(),)),
        Step("gender", N_("handoff.gender.ask"), skip_if=("priority", STATISTICS_SKIPPED),
             options=(Option("female", N_("handoff.gender.female")),
                      Option("male", N_("handoff.gender.male")),
                      Option("other", N_("handoff.option.other")),
                      Option("unsaid", N_("handoff.gender.unsaid")))),
        Step("contact", N_("handoff.contact.ask"),
             options=(Option("chat", N_("handoff.contact.chat")),
                      Option("phone", N_("handoff.contact.phone")))),
        Step("phone", N_("handoff.phone.ask"), free_text=True, key="contact",
             only_if=("contact", "phone"), fills=(PhoneNumber(),),
             hint=N_("handoff.phone.invalid")),
        Step("summary", N_("handoff.summary.ask"), free_text=True,
             fills=(FreeText(SUMMARY_MAX),), hint=""),
        Step("confirm", N_("handoff.confirm.ask"),
             options=(Option("send", N_("handoff.confirm.send")),
                      Option("cancel", N_("handoff.confirm.cancel"))),
             fills=(YesNo(yes="send", no="cancel"),),
             gives_up={"cancel": N_("handoff.cancelled")}),
    ),
)


def overview(turn: Turn, values: dict[str, Any]) -> str:
    """The answers in the user's language ("-" for one not given)."""
    labels = {option.value: option.label for step in FLOW.steps for option in step.options}
    labels.update(FORMER_AGE_LABELS)

    def label(key: str) -> str:
        value = str(values.get(key, ""))
        return turn.t(labels[value]) if value in labels else value or "-"

    return turn.t("handoff.overview", municipality=label("municipality"), age=label("age"),
                  gender=label("gender"), contact=label("contact"), summary=label("summary"))


__all__ = ["AGE_BANDS", "AGE_LABELS", "FLOW", "FORMER_AGE_LABELS", "NAME", "overview",
           "phone_number"]
