"""What reports still count of young people who deleted their data: counts, not people.

A quarter's figures must not change because someone later deleted their data. Their user row,
messages and profile go, and their referrals lose who they were; what the reports counted of them
is added here first, in the same transaction, one counter at a time (:class:`KeptCount`).

Each counter is one figure of a report (``figure``) for one value (``key``: a channel, a
campaign's id, a municipality …) on one day (``day``: when the person first came, or when the
referral was made). Funnel steps also carry the day the step was reached (``reached``): the
report of a period counts a step only if it was reached by the period's end, as it does for the
people still here. Equal counters of different people add up in one row, and no row holds an
identifier or links one counter of a person to another.
"""

from datetime import date

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class KeptCount(Base):
    __tablename__ = "kept_counts"
    __table_args__ = (
        UniqueConstraint("figure", "key", "day", "reached", name="uq_kept_counts_figure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    figure: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64), default="")
    """The value counted ("" where the figure has none, or the person gave none)."""
    day: Mapped[date] = mapped_column(Date)
    reached: Mapped[date] = mapped_column(Date)
    """The day a funnel step was reached; ``day`` itself for every other figure."""
    count: Mapped[int] = mapped_column(Integer, default=0)
