"""Deleting what is kept only for a while (``bot.retention`` decides when): one batch a call,
so that each statement locks few rows and commits soon."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import MessageLogEntry, OutboxMessage, ProcessedDelivery


class RetentionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def delete_messages(self, before: datetime, limit: int) -> int:
        """Message log rows older than ``before``: the row is its text, nothing else is
        worth keeping (no report counts the log)."""
        return await self._delete(MessageLogEntry, MessageLogEntry.created_at < before, limit)

    async def delete_deliveries(self, before: datetime, limit: int) -> int:
        """Platform delivery ids older than ``before`` (no platform redelivers that late)."""
        return await self._delete(ProcessedDelivery, ProcessedDelivery.created_at < before,
                                  limit)

    async def clear_outbox_texts(self, before: datetime, limit: int) -> int:
        """Empty the text and choices of replies settled (delivered or given up) before
        ``before``. The row stays: a staff reply to an old card still finds its referral by
        the row's ``provider_id``, and a late status callback finds its row."""
        settled = or_(OutboxMessage.sent_at < before, OutboxMessage.abandoned_at < before)
        chosen = (select(OutboxMessage.id).where(settled, OutboxMessage.text != "")
                  .order_by(OutboxMessage.id).limit(limit))
        result = await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(chosen))
            .values(text="", choices=[])
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def delete_forgotten(self, limit: int) -> int:
        """Settled rows to people who erased their data, whatever their age: they lost their
        address and text when sent (``Outbox.forget``); what is left is only a row. One that
        a crash kept from being forgotten goes too."""
        settled = or_(OutboxMessage.sent_at.is_not(None), OutboxMessage.abandoned_at.is_not(None))
        return await self._delete(
            OutboxMessage, and_(OutboxMessage.erase_after_send.is_(True), settled), limit)

    async def _delete(self, model: Any, condition: ColumnElement[bool], limit: int) -> int:
        chosen = select(model.id).where(condition).order_by(model.id).limit(limit)
        result = await self._session.execute(
            delete(model).where(model.id.in_(chosen)).execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
