"""Staff members with roles; referrals and their audit trail point at them.

Until now a referral's holder and an audit line's author were Telegram user ids as strings
(``referrals.claimed_by``, ``referral_events.staff_id``). Each distinct value becomes a
caseworker (a numeric value as its Telegram id; anything else as its name) and the rows point
at it. Staff answers get their latest time, and reminders theirs.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from bot.storage.sqlite_rebuild import referral_children_kept

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_members = sa.table(
    "staff_members", sa.column("id", sa.Integer()), sa.column("name", sa.String()),
    sa.column("role", sa.String()), sa.column("telegram_id", sa.BigInteger()),
    sa.column("active", sa.Boolean()), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
_referrals = sa.table("referrals", sa.column("claimed_by", sa.String()),
                      sa.column("claimed_by_id", sa.Integer()),
                      sa.column("first_answer_at", sa.DateTime(timezone=True)),
                      sa.column("last_answer_at", sa.DateTime(timezone=True)))
_events = sa.table("referral_events", sa.column("staff_id", sa.String()),
                   sa.column("staff_member_id", sa.Integer()))


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("partner", sa.String(120), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("telegram_id", name="uq_staff_members_telegram_id"),
        sa.UniqueConstraint("email", name="uq_staff_members_email"),
    )
    with op.batch_alter_table("referral_events") as batch_op:
        batch_op.add_column(sa.Column("staff_member_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_referral_events_staff_member_id", "staff_members",
                                    ["staff_member_id"], ["id"], ondelete="SET NULL")
    with referral_children_kept(), op.batch_alter_table("referrals") as batch_op:
        batch_op.add_column(sa.Column("claimed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_answer_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key("fk_referrals_claimed_by_id", "staff_members",
                                    ["claimed_by_id"], ["id"], ondelete="SET NULL")
    _members_from_strings()
    with op.batch_alter_table("referral_events") as batch_op:
        batch_op.drop_column("staff_id")
    with referral_children_kept(), op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_column("claimed_by")


def _members_from_strings() -> None:
    bind = op.get_bind()
    values = set(bind.execute(sa.select(_referrals.c.claimed_by).distinct()).scalars())
    values |= set(bind.execute(sa.select(_events.c.staff_id).distinct()).scalars())
    now = datetime.now(UTC)
    for value in sorted(v for v in values if v):
        numeric = value.isdigit()
        member_id = bind.execute(
            _members.insert().values(
                name="" if numeric else value[:120], role="caseworker",
                telegram_id=int(value) if numeric else None, active=True,
                created_at=now, updated_at=now,
            ).returning(_members.c.id)
        ).scalar_one()
        bind.execute(_referrals.update().where(_referrals.c.claimed_by == value)
                     .values(claimed_by_id=member_id))
        bind.execute(_events.update().where(_events.c.staff_id == value)
                     .values(staff_member_id=member_id))
    bind.execute(_referrals.update().values(last_answer_at=_referrals.c.first_answer_at))


def downgrade() -> None:
    with op.batch_alter_table("referral_events") as batch_op:
        batch_op.add_column(sa.Column("staff_id", sa.String(64), nullable=True))
    with referral_children_kept(), op.batch_alter_table("referrals") as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
    bind = op.get_bind()
    for member_id, name, telegram_id in bind.execute(
        sa.select(_members.c.id, _members.c.name, _members.c.telegram_id)
    ).all():
        value = (str(telegram_id) if telegram_id is not None else name or f"staff-{member_id}")
        bind.execute(_referrals.update().where(_referrals.c.claimed_by_id == member_id)
                     .values(claimed_by=value[:64]))
        bind.execute(_events.update().where(_events.c.staff_member_id == member_id)
                     .values(staff_id=value[:64]))
    with op.batch_alter_table("referral_events") as batch_op:
        batch_op.drop_constraint("fk_referral_events_staff_member_id", type_="foreignkey")
        batch_op.drop_column("staff_member_id")
    with referral_children_kept(), op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_constraint("fk_referrals_claimed_by_id", type_="foreignkey")
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("last_answer_at")
        batch_op.drop_column("claimed_by_id")
    op.drop_table("staff_members")
