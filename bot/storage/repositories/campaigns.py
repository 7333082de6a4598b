"""Campaign links and the starts they brought."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Campaign, CampaignEvent


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_code(self, code: str) -> Campaign | None:
        query = select(Campaign).where(Campaign.code == code)
        return (await self._session.execute(query)).scalar_one_or_none()

    def add(self, code: str, name: str = "") -> Campaign:
        campaign = Campaign(code=code, name=name)
        self._session.add(campaign)
        return campaign

    def record(self, kind: str, code: str, campaign: Campaign | None, channel: str) -> None:
        self._session.add(CampaignEvent(
            kind=kind, code=code, campaign_id=campaign.id if campaign else None, channel=channel
        ))

    async def all(self) -> Sequence[Campaign]:
        return (await self._session.execute(select(Campaign).order_by(Campaign.id))).scalars().all()
