"""A referral's statuses move only the allowed ways; re-alerts wait twice as long each time."""

from datetime import UTC, datetime, timedelta

import pytest

from referrals import erasure, lifecycle
from referrals.lifecycle import Action, IllegalTransition, Priority, Status

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("status", "action", "after"), [
    ("new", "claim", "claimed"),
    ("claimed", "contact", "contacted"),
    ("claimed", "answer", "claimed"),
    ("contacted", "answer", "contacted"),
    ("claimed", "close", "closed"),
    ("contacted", "close", "closed"),
    ("new", "withdraw", "withdrawn"),
    ("claimed", "withdraw", "withdrawn"),
    ("contacted", "withdraw", "withdrawn"),
    ("new", "note", "new"),
    ("closed", "note", "closed"),
    ("new", "realert", "new"),
])
def test_legal_moves(status: str, action: str, after: str) -> None:
    assert lifecycle.transition(status, action) == Status(after)
    assert lifecycle.allowed(status, action)


@pytest.mark.parametrize(("status", "action"), [
    ("new", "close"),  # closing needs a claim first
    ("new", "contact"),  # so does contacting
    ("new", "answer"),
    ("claimed", "claim"),
    ("contacted", "claim"),
    ("contacted", "contact"),
    ("closed", "claim"),
    ("closed", "close"),
    ("closed", "withdraw"),
    ("closed", "answer"),
    ("withdrawn", "claim"),
    ("withdrawn", "note"),
    ("withdrawn", "withdraw"),
    ("claimed", "realert"),
    ("nonsense", "claim"),
    ("new", "nonsense"),
])
def test_illegal_moves_raise_a_clear_error(status: str, action: str) -> None:
    with pytest.raises(IllegalTransition, match=f"cannot {action}: referral is {status}"):
        lifecycle.transition(status, action)
    assert not lifecycle.allowed(status, action)


def test_every_action_writes_its_own_kind_of_event() -> None:
    assert set(lifecycle.EVENT_OF) == set(Action)
    assert len(set(lifecycle.EVENT_OF.values())) == len(Action)


def test_outcomes_and_priorities_are_checked() -> None:
    assert lifecycle.outcome("job_interview") is lifecycle.Outcome.JOB_INTERVIEW
    with pytest.raises(ValueError, match="no_answer"):
        lifecycle.outcome("married")
    assert lifecycle.priority("urgent") is Priority.URGENT
    with pytest.raises(ValueError, match="unknown priority"):
        lifecycle.priority("asap")
    assert lifecycle.PRIORITY_ORDER == (Priority.URGENT, Priority.HIGH, Priority.NORMAL)


def test_realerts_double_the_wait_each_time() -> None:
    minutes = [lifecycle.realert_delay("urgent", n) / timedelta(minutes=1) for n in range(4)]
    assert minutes == [15, 30, 60, 120]
    assert lifecycle.realert_delay("normal", 0) == lifecycle.realert_delay("high", 0)
    assert lifecycle.realert_delay("high", 1) == timedelta(hours=48)
    assert lifecycle.realert_due_at("urgent", T0, None, 0) == T0 + timedelta(minutes=15)
    last = T0 + timedelta(minutes=16)
    assert lifecycle.realert_due_at("urgent", T0, last, 1) == last + timedelta(minutes=30)


def test_timings_are_minutes_from_creation() -> None:
    took = lifecycle.timings(T0, T0 + timedelta(minutes=7, seconds=30), None)
    assert (took.to_claim, took.to_first_answer) == (7.5, None)


def test_erasure_covers_every_personal_field_and_withdraws_only_open_ones() -> None:
    """Storage is told which fields and statuses it works on; ``referrals.erasure`` says."""
    assert tuple(erasure.ERASED_TO) == lifecycle.PERSONAL_FIELDS
    assert erasure.WITHDRAWN_FROM == lifecycle.OPEN
    assert {"withdrawn", "erased"} <= {k.value for k in lifecycle.EventKind}


@pytest.mark.parametrize(("status", "action", "after"), [
    ("claimed", "unclaim", "new"), ("contacted", "unclaim", "new"),
    ("new", "reassign", "claimed"), ("claimed", "reassign", "claimed"),
    ("contacted", "reassign", "contacted"), ("claimed", "remind", "claimed"),
])
def test_giving_back_handing_on_and_reminding(status: str, action: str, after: str) -> None:
    assert lifecycle.transition(status, action) == Status(after)
    for closed in ("closed", "withdrawn"):
        assert not lifecycle.allowed(closed, action)
    assert not lifecycle.allowed("new", "unclaim") and not lifecycle.allowed("new", "remind")


def test_reminders_wait_24_hours_or_4_when_urgent_from_the_latest_staff_move() -> None:
    answered = T0 + timedelta(hours=3)
    assert lifecycle.reminder_due_at("urgent", T0, None, None) == T0 + timedelta(hours=4)
    assert lifecycle.reminder_due_at("normal", T0, answered, None) == answered + timedelta(hours=24)
    reminded = T0 + timedelta(hours=30)
    assert lifecycle.reminder_due_at("high", T0, answered, reminded) == reminded + timedelta(
        hours=24)
