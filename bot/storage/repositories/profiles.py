"""The optional profile question's row per person: whether it was asked, and the bands given."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.profiles import UserProfile

ASKED, ANSWERED, DECLINED = "asked", "answered", "declined"
"""A profile's status: asked (and perhaps left for another topic), answered to the end, or
declined in one tap. Any of them means it is never asked again."""
COLUMNS = {"municipality": "municipality", "age": "age_band", "gender": "gender"}
"""The profile question's steps and the column each one's answer is kept in."""


class ProfileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_user(self, user_id: int) -> UserProfile | None:
        return await self._session.get(UserProfile, user_id)

    async def asked(self, user_id: int, now: datetime) -> UserProfile:
        """The question is asked now: from here on it is never asked again."""
        profile = UserProfile(user_id=user_id, status=ASKED, asked_at=now, updated_at=now)
        self._session.add(profile)
        await self._session.flush()
        return profile

    @staticmethod
    def keep(profile: UserProfile, step: str, value: str) -> None:
        """One answer (a band or a municipality), in its column."""
        setattr(profile, COLUMNS[step], value)
