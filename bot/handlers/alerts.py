"""Alerts of new opportunities: subscribing (in words or by a button), the questions still
missing (:mod:`bot.flows.alerts`), the list of one's subscriptions and removing them. ``stop``
ends them all (:mod:`bot.handlers.privacy`); the broadcast is :mod:`opportunities.broadcast`.
"""

from bot import flows
from bot.content import MENU
from bot.flows.alerts import ANY, FLOW, LIST_CHOICE, REMOVE_CHOICE
from bot.i18n import N_
from bot.messages import Choice, Outbound
from bot.routes import AlertFilter, AskAgain, FlowAnswer, RemoveAlert
from bot.storage.alerts import AlertSubscription
from bot.turn import PAGE_CHOICE, Turn
from opportunities.alert_message import KIND_LABELS, places

SECTOR_LABELS = {
    "ict": N_("alerts.sector.ict"), "tourism": N_("alerts.sector.tourism"),
    "agriculture": N_("alerts.sector.agriculture"),
    "medicinal_plants": N_("alerts.sector.medicinal_plants"),
    "agro_processing": N_("alerts.sector.agro_processing"),
    "construction": N_("alerts.sector.construction"),
    "hospitality": N_("alerts.sector.hospitality"), "crafts": N_("alerts.sector.crafts"),
    "languages": N_("alerts.sector.languages"), "care": N_("alerts.sector.care"),
}


async def subscribe(turn: Turn) -> list[Outbound]:
    """Asked in words or by a button: subscribe now, or ask what is still missing."""
    wanted = turn.route.arg(AlertFilter)
    given: dict[str, str] = {"sector": wanted.sector}
    if wanted.kind:
        given["kind"] = wanted.kind
    if wanted.municipality:
        given["municipality"] = wanted.municipality
    if FLOW.missing(given) is None:
        return await _keep(turn, given)
    return [flows.start(turn, FLOW.name, given)]


async def answer(turn: Turn) -> list[Outbound]:
    given = turn.route.arg(FlowAnswer)
    step = FLOW.step(given.step)
    if FLOW.form(turn.state) is None or step is None:
        return [turn.show(MENU)]
    following = FLOW.advance(turn, step, given.value)
    if following is not None:
        return [following]
    values = FLOW.values(turn.state)
    FLOW.forget(turn.state)
    return await _keep(turn, {k: str(v) for k, v in values.items()})


async def ask_again(turn: Turn) -> list[Outbound]:
    if FLOW.form(turn.state) is None:
        return [turn.show(MENU)]
    return [flows.ask_again(turn, turn.route.arg(AskAgain))]


async def show(turn: Turn) -> list[Outbound]:
    """The person's subscriptions, each with a button that removes it."""
    kept = await turn.uow.alerts.of_user(turn.user.id)
    if not kept:
        return [Outbound(turn.t("alerts.none"), (_menu(turn),))]
    lines = [turn.t("alerts.list")]
    choices = []
    for number, subscription in enumerate(kept, 1):
        lines.append(f"{number}. {describe(turn, subscription)}")
        choices.append(Choice(f"{REMOVE_CHOICE}{subscription.id}",
                              turn.t("alerts.remove_one", number=number)))
    if len(kept) > 1:
        choices.append(Choice(f"{REMOVE_CHOICE}all", turn.t("alerts.remove_all")))
    lines.append(turn.t("alerts.how_to_stop"))
    return [Outbound("\n".join(lines), (*choices, _menu(turn)))]


async def remove(turn: Turn) -> list[Outbound]:
    which = turn.route.arg(RemoveAlert).subscription
    removed = await turn.uow.alerts.remove(turn.user.id, which)
    if not removed:
        return await show(turn)
    if which is None or not await turn.uow.alerts.of_user(turn.user.id):
        return [Outbound(turn.t("alerts.removed_all"), (_menu(turn),))]
    return [Outbound(turn.t("alerts.removed"), (Choice(LIST_CHOICE, turn.t("alerts.list_choice")),
                                                 _menu(turn)))]


def describe(turn: Turn, subscription: AlertSubscription) -> str:
    kind = turn.t(KIND_LABELS[subscription.kind]) if subscription.kind in KIND_LABELS \
        else turn.t("alerts.kind.any")
    parts = [kind]
    if subscription.sector in SECTOR_LABELS:
        parts.append(turn.t(SECTOR_LABELS[subscription.sector]))
    parts.append(places(turn.t, [subscription.municipality] if subscription.municipality else []))
    return " · ".join(parts)


async def _keep(turn: Turn, values: dict[str, str]) -> list[Outbound]:
    """Every answer given: keep the wish. Asking for alerts undoes an earlier ``stop``."""
    def value(key: str) -> str:
        found = values.get(key, "")
        return "" if found == ANY else found

    subscription = AlertSubscription(kind=value("kind"), sector=value("sector"),
                                     municipality=value("municipality"))
    await turn.uow.alerts.subscribe(turn.user.id, subscription.kind, subscription.sector,
                                    subscription.municipality)
    turn.user.unsubscribed_at = None
    text = turn.t("alerts.subscribed", what=describe(turn, subscription))
    return [Outbound(text, (Choice(LIST_CHOICE, turn.t("alerts.list_choice")), _menu(turn)))]


def _menu(turn: Turn) -> Choice:
    return Choice(PAGE_CHOICE + MENU, turn.page(MENU).title)
