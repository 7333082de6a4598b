"""Deadline reminders: asked for in a turn, sent by the scheduler once when due."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.catalogue import Opportunity, OpportunityReminder
from bot.storage.models import User


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def ask(self, user_id: int, opportunity_id: str, remind_on: date) -> None:
        """Remember one (asking twice for the same opportunity keeps the one asked first)."""
        found = await self._session.scalar(select(OpportunityReminder.id).where(
            OpportunityReminder.user_id == user_id,
            OpportunityReminder.opportunity_id == opportunity_id))
        if found is None:
            self._session.add(OpportunityReminder(
                user_id=user_id, opportunity_id=opportunity_id, remind_on=remind_on))
            await self._session.flush()

    async def due_locked(self, today: date, limit: int
                         ) -> Sequence[tuple[OpportunityReminder, User, Opportunity | None]]:
        """Unsent reminders due by ``today`` with their user and opportunity (None if it is
        gone), locked so that a second scheduler skips them (PostgreSQL)."""
        query = (
            select(OpportunityReminder, User, Opportunity)
            .join(User, User.id == OpportunityReminder.user_id)
            .outerjoin(Opportunity, Opportunity.id == OpportunityReminder.opportunity_id)
            .where(OpportunityReminder.sent_at.is_(None), OpportunityReminder.remind_on <= today)
            .order_by(OpportunityReminder.id).limit(limit)
            .with_for_update(skip_locked=True, of=OpportunityReminder)
        )
        return [(r, u, o) for r, u, o in (await self._session.execute(query)).all()]

    async def drop(self, reminder_ids: Sequence[int]) -> None:
        if reminder_ids:
            await self._session.execute(
                delete(OpportunityReminder).where(OpportunityReminder.id.in_(reminder_ids)))
