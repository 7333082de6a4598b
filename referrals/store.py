"""What the queue needs of storage: a stored referral's fields and the referral repository's
queries (``bot.storage.models.Referral``, ``bot.storage.repositories.ReferralRepository``)."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Protocol


class ReferralRecord(Protocol):
    """What the queue reads and changes on a stored referral."""

    id: int
    user_id: int | None
    topic: str
    priority: str
    status: str
    channel: str
    outcome: str | None
    partner: str | None
    partner_consent: str | None
    claimed_by_id: int | None
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None
    contacted_at: datetime | None
    first_answer_at: datetime | None
    last_answer_at: datetime | None
    reminded_at: datetime | None
    closed_at: datetime | None
    last_alert_at: datetime | None
    alerts: int
    staff_thread: str | None
    municipality: str | None
    age_band: str | None
    gender: str | None
    contact: str | None
    summary: str | None
    answers: dict[str, Any]
    opportunity_id: str | None
    opportunity_title: str | None


class ReferralStore(Protocol):
    """The unit of work's referral repository."""

    def create(self, **fields: Any) -> Any: ...

    async def flush(self) -> None: ...

    def record(
        self, referral: Any, kind: str, at: datetime, staff_member_id: int | None = None,
        detail: str | None = None, note: str | None = None,
    ) -> object: ...

    async def get(self, referral_id: int) -> Any: ...

    async def get_locked(self, referral_id: int) -> Any: ...

    async def next_locked(self, status: str, priorities: Sequence[str]) -> Any: ...

    async def quiet_since(
        self, statuses: Collection[str], before: dict[str, datetime], columns: Sequence[str],
    ) -> Sequence[Any]: ...

    async def in_order(
        self, statuses: Collection[str], priorities: Sequence[str], partner: str | None = None,
    ) -> Sequence[Any]: ...

    async def newest_for_user(
        self, user_id: int, statuses: Collection[str], by: str = "id",
    ) -> Any: ...

    async def for_user_locked(self, user_id: int) -> Sequence[Any]: ...

    async def clear_notes(self, referral_ids: Collection[int]) -> set[int]: ...
