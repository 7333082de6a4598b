"""Referrals made straight through the queue, a clock to move, and reading them back."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.bootstrap import Container
from bot.storage.models import Referral, ReferralEvent
from referrals.queue import ReferralQueue

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PERSONAL = {"municipality": "Has", "age_band": "18-24", "gender": "f",
            "contact": "+355691234567", "summary": "Arta nga Krumë, oferte per Italine",
            "answers": {"paid_upfront": "yes", "passport_kept": "yes"}}
SECRETS = ("+355691234567", "Arta", "Krumë", "paid_upfront", "Has")


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


async def create(container: Container, count: int = 1, clock: Clock | None = None,
                 **fields: Any) -> list[int]:
    fields = {"user_id": None, "channel": "telegram", "topic": "jobs", **fields}
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals, clock or Clock())
        made = [await queue.create(**fields) for _ in range(count)]
        await uow.commit()
    return [referral.id for referral in made]


async def events(container: Container, referral_id: int) -> list[tuple[Any, ...]]:
    """(kind, staff member id, detail, note, time) of each audit line, oldest first."""
    async with container.sessions() as session:
        rows = await session.execute(
            select(ReferralEvent.kind, ReferralEvent.staff_member_id, ReferralEvent.detail,
                   ReferralEvent.note, ReferralEvent.created_at)
            .where(ReferralEvent.referral_id == referral_id).order_by(ReferralEvent.id))
        return [tuple(row) for row in rows.all()]


async def stored(container: Container, referral_id: int) -> Referral:
    async with container.sessions() as session:
        referral = await session.get(Referral, referral_id)
        assert referral is not None
        return referral
