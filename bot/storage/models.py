"""Tables. Every schema change here comes with an Alembic revision in ``migrations/versions``."""

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

OutboxKind = Literal["reply", "staff", "alert", "edit"]
"""What an outbox row is, for the delivery policy: the bot's answer in a turn, what staff wrote
(and the notices around it), a message the bot starts itself, or an edit of one sent before."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class Campaign(Base):
    """An awareness campaign's link code (a poster, an ad); users remember the first they came by."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    """A young person on one channel. ``address`` is what the channel needs to reach them."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "address", name="uq_users_channel_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(128))
    locale: Mapped[str] = mapped_column(String(8))
    consent_at: Mapped[datetime | None] = mapped_column(default=None)
    first_campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(default=None)
    unreachable_at: Mapped[datetime | None] = mapped_column(default=None)
    """Set when the platform says the user blocked the bot; cleared when they write again."""
    state: Mapped["ConversationState | None"] = relationship(lazy="raise", viewonly=True)
    """Read-only: loaded with the user in the same query (``UserRepository.get_locked``)."""


class CampaignEvent(Base):
    """Something a campaign link brought: a "started" each time someone opens the bot by it.

    ``code`` is the link's code as received; an unknown code is kept with no ``campaign_id``.
    """

    __tablename__ = "campaign_events"
    __table_args__ = (Index("ix_campaign_events_campaign", "campaign_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), default=None
    )
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationState(Base):
    """Where a user is in the conversation, so any process can take their next message.

    ``offered`` is the list of ``[choice id, label]`` shown last: typing a number or a label picks
    from it. ``pending`` names a question awaiting an answer (e.g. a delete confirmation).
    """

    __tablename__ = "conversation_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    page: Mapped[str | None] = mapped_column(String(64), default=None)
    pending: Mapped[str | None] = mapped_column(String(32), default=None)
    offered: Mapped[list[Any]] = mapped_column(default=list)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MessageLogEntry(Base):
    """Every message in and out, for staff context; erased when the user asks."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_user_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text, default="")
    choice_id: Mapped[str | None] = mapped_column(String(64), default=None)
    route: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedDelivery(Base):
    """A platform delivery already handled; the unique key makes a redelivery a no-op."""

    __tablename__ = "processed_deliveries"
    __table_args__ = (
        UniqueConstraint("channel", "delivery_id", name="uq_processed_deliveries_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    delivery_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """A reply waiting to be delivered, written in the same transaction as the turn."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "channel", "sent_at", "id"),
        Index("ix_outbox_chat", "channel", "address", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    abandoned_at: Mapped[datetime | None] = mapped_column(default=None)
    """Set when retrying is pointless (the user blocked the bot; the platform refused it)."""
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    """A sender has claimed this reply until then; after that (a crash) another may send it."""
    held_reason: Mapped[str | None] = mapped_column(String(64), default=None)
    """Why the reply waits for the user to write first (WhatsApp's 24-hour window closed)."""
    provider_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    """The platform's id for the sent message (a Twilio SID), which status callbacks name."""
    status: Mapped[str | None] = mapped_column(String(16), default=None)
    """The furthest delivery status the platform reported (sent, delivered, read, failed)."""
    error_code: Mapped[str | None] = mapped_column(String(16), default=None)
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referrals.id", ondelete="SET NULL"), default=None
    )
    """For messages to the staff chat about a referral: a staff reply to one of them goes to
    that referral's young person."""
    thread: Mapped[str | None] = mapped_column(String(32), default=None)
    """The thread within the chat to post in (a forum topic of the staff group)."""
    kind: Mapped[str] = mapped_column(String(8), default="reply", server_default="reply")
    """An :data:`OutboxKind`: delivery policies (WhatsApp's window) decide by it."""
    erase_after_send: Mapped[bool] = mapped_column(default=False)
    """To someone who erased their data: once sent, the row loses address and text."""


class StaffMember(Base):
    """Someone on the staff side: a caseworker, a supervisor, an admin, a partner
    organisation's worker or a viewer. What each role may do is ``bot.staff.permissions``.

    ``telegram_id`` is how the staff group knows them; ``email`` and ``password_hash`` (argon2)
    are for the web console. Members are disabled, never deleted: the audit trail names them.
    An empty ``name`` is taken from their Telegram first name the first time they act there.
    """

    __tablename__ = "staff_members"
    __table_args__ = (
        UniqueConstraint("telegram_id", name="uq_staff_members_telegram_id"),
        UniqueConstraint("email", name="uq_staff_members_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    partner: Mapped[str | None] = mapped_column(String(120), default=None)
    """The partner organisation a ``partner`` member works for."""
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Referral(Base):
    """A young person's request for a person, in the staff queue.

    Its life cycle (statuses, allowed moves, outcomes) is ``referrals.lifecycle``; the queue in
    ``referrals.queue`` makes the moves. The personal fields (municipality, age_band, gender,
    contact, summary, answers) are erased when the young person deletes their data.
    """

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_queue", "status", "priority", "created_at"),
        Index("ix_referrals_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    topic: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="new")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    channel: Mapped[str] = mapped_column(String(16), default="")
    """The channel the young person used (where staff answers are relayed)."""
    municipality: Mapped[str | None] = mapped_column(String(64), default=None)
    age_band: Mapped[str | None] = mapped_column(String(16), default=None)
    gender: Mapped[str | None] = mapped_column(String(16), default=None)
    contact: Mapped[str | None] = mapped_column(String(64), default=None)
    """How they want to be reached: "chat", or a phone number."""
    summary: Mapped[str | None] = mapped_column(Text, default=None)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Answers to the qualifying questions (e.g. a risk check's)."""
    outcome: Mapped[str | None] = mapped_column(String(48), default=None)
    partner: Mapped[str | None] = mapped_column(String(120), default=None)
    """The partner organisation the referral is routed to (reassigned to one of its workers,
    or closed as referred on to it); that organisation's ``partner`` members may act on it."""
    partner_consent: Mapped[str | None] = mapped_column(String(120), default=None)
    """The partner the young person's consent named: its workers see what they shared."""
    claimed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL"), default=None
    )
    """The staff member who has it (claimed, or had it reassigned to them)."""
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    contacted_at: Mapped[datetime | None] = mapped_column(default=None)
    first_answer_at: Mapped[datetime | None] = mapped_column(default=None)
    last_answer_at: Mapped[datetime | None] = mapped_column(default=None)
    """The latest staff answer to the young person (a reminder is due when it is too long ago)."""
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    """When staff were last reminded that the young person waits for an answer."""
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_alert_at: Mapped[datetime | None] = mapped_column(default=None)
    alerts: Mapped[int] = mapped_column(default=0)
    """How many times staff were alerted again about it while nobody claimed it."""
    staff_thread: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    """Its forum topic in the staff group, once claimed (when the group has topics)."""
    opportunity_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    """The catalogue's opportunity the young person said "I'm interested" in, if any."""
    opportunity_title: Mapped[str | None] = mapped_column(String(200), default=None)
    """Its title as they saw it then (staff see what they said yes to, even if it changes)."""


class ReferralEvent(Base):
    """One line of a referral's audit trail: what happened, which staff member did it, when.

    ``detail`` holds codes only (an outcome, a partner's name, an alert count), never personal
    data. ``note`` holds a staff note's text, which may well be personal: it is erased with the
    referral's personal fields when the young person deletes their data.
    """

    __tablename__ = "referral_events"
    __table_args__ = (Index("ix_referral_events_referral", "referral_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    staff_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL"), default=None
    )
    detail: Mapped[str | None] = mapped_column(String(160), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
