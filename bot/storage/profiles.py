"""The profile question's table (``bot.storage`` imports this module, so it is on
``Base.metadata`` wherever the models are)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class UserProfile(Base):
    """The answers to the optional, anonymous profile question (:mod:`bot.flows.profile`): bands
    only, never an exact age or a name, for the programme's statistics. One row per person, written
    when the question is first asked, so it is asked once: ``status`` says whether it was only
    asked (then left for another topic), answered to the end (each step may have been skipped:
    NULL) or declined. Deleted with the user's data."""

    __tablename__ = "user_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))
    municipality: Mapped[str | None] = mapped_column(String(16), default=None)
    age_band: Mapped[str | None] = mapped_column(String(16), default=None)
    gender: Mapped[str | None] = mapped_column(String(16), default=None)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
