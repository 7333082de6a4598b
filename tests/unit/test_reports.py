"""The read side's pure parts: periods, percentiles, small-count suppression."""

from datetime import UTC, date, datetime

import pytest

from reports.period import ALL_TIME, Period
from reports.suppression import SMALL, suppress, suppress_counts
from reports.timings import Spread, percentile


def test_a_period_covers_whole_utc_days_both_ends_included() -> None:
    q1 = Period.quarter(2026, 1)
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q1.starts_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert q1.ends_before == datetime(2026, 4, 1, tzinfo=UTC)
    assert q1.contains(datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC))
    assert not q1.contains(datetime(2026, 4, 1, tzinfo=UTC))
    assert not q1.contains(datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    assert Period.quarter(2026, 4).end == date(2026, 12, 31)
    assert Period.parse("2026-01-01", "2026-03-31") == q1
    assert ALL_TIME.contains(datetime(1999, 1, 1, tzinfo=UTC)) and ALL_TIME.where(object()) == []
    assert str(Period(date(2026, 5, 1))) == "2026-05-01 – …"


@pytest.mark.parametrize("bad", [
    lambda: Period(date(2026, 3, 1), date(2026, 2, 1)),
    lambda: Period.quarter(2026, 5),
    lambda: Period.parse("2026-13-01"),
])
def test_a_period_that_cannot_be_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        bad()  # type: ignore[operator]


def test_percentiles_interpolate_like_percentile_cont() -> None:
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([4.0, 10.0, 30.0], 0.5) == 10.0
    assert percentile([4.0, 10.0, 30.0], 0.9) == pytest.approx(26.0)
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert Spread.of([30.0, 4.0, 10.0]) == Spread(3, 10.0, 26.0)
    assert Spread.of([]) == Spread(0, None, None)
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_counts_under_five_are_published_as_less_than_five() -> None:
    assert [suppress(n) for n in (0, 1, 4, 5, 17)] == [SMALL, SMALL, SMALL, 5, 17]
    assert suppress_counts({"Kukës": 12, "Has": 3, "Tropojë": 5}) == {
        "Kukës": 12, "Has": "<5", "Tropojë": 5}
    with pytest.raises(ValueError):
        suppress(-1)
