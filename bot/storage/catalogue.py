"""The catalogue's tables: opportunities (trainings, jobs, grants …) and local services (offices,
centres, NGOs), both kept by staff through files (``youthbot opportunities|services import``)
and later the console. Their ``id`` is the slug of the file, so re-importing finds them.

Lists (municipalities, sectors, topics) are JSON arrays, the same on SQLite and PostgreSQL; an
empty ``municipalities`` means all three. ``bot.storage`` imports this module, so the tables are
on ``Base.metadata`` wherever the models are.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class _Entry:
    """The columns both tables share (the files' shared columns)."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_sq: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_sq: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    municipalities: Mapped[list[Any]] = mapped_column(default=list)
    apply: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    checked: Mapped[date]
    """When someone last confirmed the entry against its source."""
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Opportunity(_Entry, Base):
    """A training, job, internship, grant call or other chance, open until its deadline."""

    __tablename__ = "opportunities"
    __table_args__ = (Index("ix_opportunities_published_deadline", "published", "deadline"),
                      Index("ix_opportunities_updated_at", "updated_at"))

    kind: Mapped[str] = mapped_column(String(16))
    sectors: Mapped[list[Any]] = mapped_column(default=list)
    min_age: Mapped[int | None] = mapped_column(default=None)
    max_age: Mapped[int | None] = mapped_column(default=None)
    deadline: Mapped[date | None] = mapped_column(default=None)
    """None: open until unpublished."""


class LocalService(_Entry, Base):
    """A place a young person can go: an employment office, a youth centre, an NGO …"""

    __tablename__ = "local_services"

    topics: Mapped[list[Any]] = mapped_column(default=list)
    """Content page ids it helps with (``jobs``, ``human.counters`` …)."""
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    hours: Mapped[str] = mapped_column(Text, default="")


class OpportunityEvent(Base):
    """Something that happened to an opportunity in a conversation, for the programme's
    counts: ``view`` (shown in a list) or ``interested`` ("I'm interested" pressed). Appended,
    never updated (no row to fight over when many look at once), and nothing in it says who."""

    __tablename__ = "opportunity_events"
    __table_args__ = (Index("ix_opportunity_events_opportunity", "opportunity_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OpportunityReminder(Base):
    """A young person asked, after "I'm interested", to be reminded of an opportunity's deadline:
    one message on ``remind_on`` (three days before it), sent once (``sent_at``). Gone with
    the user when they erase their data."""

    __tablename__ = "opportunity_reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "opportunity_id", name="uq_opportunity_reminders_user"),
        Index("ix_opportunity_reminders_due", "sent_at", "remind_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    opportunity_id: Mapped[str] = mapped_column(String(64))
    remind_on: Mapped[date]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
