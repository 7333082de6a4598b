"""The message log and the platform deliveries already seen."""

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import MessageLogEntry, ProcessedDelivery, User, utcnow
from bot.storage.repositories.inserts import InsertOrNothing, insert_in_order

_LOG = cast(Table, MessageLogEntry.__table__)
_CLAIM_DELIVERY = InsertOrNothing(cast(Table, ProcessedDelivery.__table__))


class MessageLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: list[dict[str, Any]] = []

    def record(
        self, user: User, direction: str, text: str, *, choice_id: str | None = None,
        route: str | None = None,
    ) -> None:
        self._rows.append({"user_id": user.id, "direction": direction, "text": text,
                           "choice_id": choice_id, "route": route, "created_at": utcnow()})

    async def write(self) -> None:
        """Insert what was recorded since the last write (the unit of work's commit calls it)."""
        await insert_in_order(self._session, _LOG, self._rows)
        self._rows = []


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, channel: str, delivery_id: str) -> bool:
        """Record a platform delivery; False if it was recorded before (a redelivery)."""
        result = await self._session.execute(_CLAIM_DELIVERY.statement, _CLAIM_DELIVERY.params(
            channel=channel, delivery_id=delivery_id, created_at=utcnow()))
        return bool(result.rowcount)  # type: ignore[attr-defined]
