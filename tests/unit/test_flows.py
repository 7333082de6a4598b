"""The flows' declarations: which question comes next, and each flow's buttons read back."""

from bot.flows import FLOWS, handoff, risk_check
from bot.flows.base import Pending
from bot.routes import AskAgain, FlowAnswer, Route, RouteName


def _next(values: dict[str, str]) -> str | None:
    step = handoff.FLOW.missing(values)
    return step.name if step else None


def test_the_referral_questions_in_order_phone_only_when_asked_for() -> None:
    assert _next({}) == "consent"
    assert _next({"consent": "yes", "municipality": "has", "age": "18_24"}) == "gender"
    answered = {"consent": "yes", "municipality": "has", "age": "18_24", "gender": "male"}
    assert _next(answered) == "contact"
    assert _next({**answered, "contact": "phone"}) == "phone"
    assert _next({**answered, "contact": "+355691234567"}) == "summary"
    assert _next({**answered, "contact": "chat", "summary": "pune"}) == "confirm"


def test_every_flow_reads_back_the_buttons_it_makes() -> None:
    for flow in FLOWS.values():
        for step in flow.steps:
            pending = Pending(flow.name, step.name)
            assert Pending.decode(pending.encode()) == pending
            assert len(pending.encode()) <= 32  # the column's width
            for option in step.options:
                pressed = flow.press(flow.choice_id(step, option.value), pending)
                assert pressed is not None and pressed == flow.answered(step, option.value)


def test_a_button_of_another_question_asks_the_pending_one_again() -> None:
    flow = risk_check.FLOW
    fee, contract = flow.steps[0], flow.steps[1]
    assert flow.press(flow.choice_id(fee, "yes"), Pending("risk", "contract")) == Route(
        RouteName.RISK_ASK, AskAgain("risk", contract.name, "risk.hint"))
    assert flow.press("risk:fee:yes", Pending("risk", "fee")) == Route(
        RouteName.RISK_ANSWER, FlowAnswer("risk", "fee", "yes"))
    assert flow.press("risk:fee:yes", None) is None
    assert Pending.decode("delete") is None and Pending.decode(None) is None


def test_urgent_and_high_priority_referrals_skip_the_gender_question() -> None:
    answered = {"consent": "yes", "municipality": "has", "age": "18_24"}
    for priority in ("urgent", "high"):
        assert _next({**answered, "priority": priority}) == "contact", priority
    assert _next({**answered, "priority": "normal"}) == "gender"
