"""RETENTION_DAYS: 180 unless set, and never less than a day."""

import pytest
from pydantic import ValidationError

from bot.config import Settings


def test_retention_is_180_days_unless_set() -> None:
    assert Settings(_env_file=None).retention_days == 180  # type: ignore[call-arg]


@pytest.mark.parametrize("days", ["0", "-5", "soon"])
def test_a_retention_under_a_day_or_not_a_number_is_refused(
    days: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", days)
    with pytest.raises(ValidationError, match="retention_days"):
        Settings(_env_file=None)  # type: ignore[call-arg]
