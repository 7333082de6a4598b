"""The staff console's sign-in attempts: recorded, counted per account and per address, and
forgotten after a day."""

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.sign_ins import ConsoleSignIn


class SignInRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def record(self, account: str, address: str, outcome: str, at: datetime) -> None:
        self._session.add(ConsoleSignIn(account=account, address=address, outcome=outcome,
                                        created_at=at))

    async def failures(self, *, since: datetime, account: str | None = None,
                       address: str | None = None) -> int:
        """Wrong passwords since ``since`` for the account (after its last success) or the
        address."""
        query = select(func.count()).select_from(ConsoleSignIn).where(
            ConsoleSignIn.outcome == "wrong", ConsoleSignIn.created_at >= since)
        if account is not None:
            last_ok = (select(func.max(ConsoleSignIn.created_at))
                       .where(ConsoleSignIn.account == account, ConsoleSignIn.outcome == "ok")
                       .scalar_subquery())
            query = query.where(ConsoleSignIn.account == account,
                                func.coalesce(last_ok, since) <= ConsoleSignIn.created_at)
        if address is not None:
            query = query.where(ConsoleSignIn.address == address)
        return int(await self._session.scalar(query) or 0)

    async def forget_before(self, before: datetime) -> None:
        await self._session.execute(delete(ConsoleSignIn).where(ConsoleSignIn.created_at < before))
