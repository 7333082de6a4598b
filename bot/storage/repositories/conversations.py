"""The staff console's case page reads: the message log's rows of one young person with given
routes in a period, and the partner organisations referrals went to."""

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import MessageLogEntry, Referral


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def logged(
        self, user_id: int, routes: Collection[str], since: datetime, until: datetime | None,
    ) -> Sequence[MessageLogEntry]:
        """The user's log rows with these routes from ``since`` to ``until`` (None: now), in
        order."""
        query = (select(MessageLogEntry)
                 .where(MessageLogEntry.user_id == user_id,
                        MessageLogEntry.route.in_(sorted(routes)),
                        MessageLogEntry.created_at >= since)
                 .order_by(MessageLogEntry.created_at, MessageLogEntry.id))
        if until is not None:
            query = query.where(MessageLogEntry.created_at <= until)
        return (await self._session.execute(query)).scalars().all()

    async def partners(self) -> set[str]:
        """Every partner organisation a referral was routed to or closed with."""
        query = select(Referral.partner).where(Referral.partner.is_not(None)).distinct()
        return {p for p in (await self._session.execute(query)).scalars().all() if p}
