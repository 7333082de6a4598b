"""Who gets an alert of a new opportunity, who waits for tomorrow's, who gets none and why."""

from datetime import UTC, datetime, timedelta

import pytest

from opportunities.alerts import Reach, Skip, Status, Subscriber, can_move, decide

NOW = datetime(2027, 1, 15, 10, tzinfo=UTC)
REACH = Reach({"whatsapp": timedelta(hours=24)}, {"whatsapp": {"sq": "HXalert"}}, "sq")
ON_WHATSAPP = Subscriber("whatsapp", "sq", NOW - timedelta(hours=1))


@pytest.mark.parametrize(("person", "reach", "decision"), [
    (ON_WHATSAPP, REACH, (Status.QUEUED, None)),
    (Subscriber("telegram", "en", NOW - timedelta(days=90)), REACH, (Status.QUEUED, None)),
    (Subscriber("whatsapp", "en", NOW - timedelta(days=3)), REACH, (Status.QUEUED, None)),
    (Subscriber("whatsapp", "en", NOW - timedelta(days=3)), Reach({"whatsapp": timedelta(1)}),
     (Status.SKIPPED, Skip.NO_TEMPLATE)),
    (Subscriber("whatsapp", "sq", NOW, alerted_recently=True), REACH, (Status.WAITING, None)),
    (Subscriber("whatsapp", "sq", NOW, stopped=True), REACH, (Status.SKIPPED, Skip.STOPPED)),
    (Subscriber("whatsapp", "sq", NOW, unreachable=True), REACH,
     (Status.SKIPPED, Skip.UNREACHABLE)),
    (Subscriber("telegram", "sq", NOW, urgent=True, alerted_recently=True), REACH,
     (Status.SKIPPED, Skip.URGENT)),
])
def test_decide(person: Subscriber, reach: Reach, decision: tuple[Status, Skip | None]) -> None:
    assert decide(person, reach, NOW) == decision


def test_only_a_waiting_alert_moves_on() -> None:
    assert can_move(Status.WAITING, Status.QUEUED) and can_move(Status.WAITING, Status.SKIPPED)
    assert not any(can_move(done, other) for done in (Status.QUEUED, Status.SKIPPED)
                   for other in Status)
