"""The tables of opt-in alerts: what each young person asked to be told about, and, per
opportunity and person, what the broadcast did (queued the alert, keeps it for the day's next
one, or skipped it and why).

A filter's empty string means "any" (kind, sector or municipality): unlike NULL it takes part in
the unique key on both databases, so the same wish is kept once. ``alert_deliveries`` has one
row per (opportunity, user): written in the same transaction as the outbox row it stands for,
so a broadcast cut short by a crash goes on where it stopped and never queues an alert twice.
When the person erases their data their subscriptions go with them and their delivery rows
keep only the opportunity and the outcome (the programme's counts).
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow

ANY = ""
"""A filter that takes every value."""


class AlertSubscription(Base):
    __tablename__ = "alert_subscriptions"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "sector", "municipality",
                         name="uq_alert_subscriptions_filter"),
        Index("ix_alert_subscriptions_kind", "kind", "municipality"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default=ANY)
    sector: Mapped[str] = mapped_column(String(32), default=ANY)
    municipality: Mapped[str] = mapped_column(String(16), default=ANY)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertBroadcast(Base):
    """An opportunity's broadcast: started when the scheduler first saw it published and open,
    finished when every matching subscriber had a delivery row."""

    __tablename__ = "alert_broadcasts"

    opportunity_id: Mapped[str] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class AlertDelivery(Base):
    """What the broadcast of one opportunity did for one subscriber (``opportunities.alerts``
    names the statuses and the reasons for skipping)."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "user_id", name="uq_alert_deliveries_once"),
        Index("ix_alert_deliveries_user", "user_id", "status", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[str] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(16), default=None)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    """When it was queued or skipped (or, while it waits, when it was found)."""
