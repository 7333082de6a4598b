"""The referral queue: what staff need to act on a referral, its timings, and its audit trail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMES = ("claimed_at", "contacted_at", "first_answer_at", "closed_at", "last_alert_at")


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch_op:
        # Rows written before this revision get a value; the defaults are dropped just below,
        # as the models give every new row its values.
        batch_op.add_column(sa.Column("channel", sa.String(16), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("municipality", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("age_band", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("gender", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("contact", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("answers", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("outcome", sa.String(48), nullable=True))
        batch_op.add_column(sa.Column("partner", sa.String(120), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
        for name in TIMES:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("alerts", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("referrals") as batch_op:
        for name in ("channel", "answers", "alerts"):
            batch_op.alter_column(name, server_default=None)
        batch_op.create_index("ix_referrals_queue", ["status", "priority", "created_at"])
        batch_op.create_index("ix_referrals_user_id", ["user_id"])
    op.create_table(
        "referral_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(160), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("referral_events") as batch_op:
        batch_op.create_index("ix_referral_events_referral", ["referral_id", "id"])


def downgrade() -> None:
    with op.batch_alter_table("referral_events") as batch_op:
        batch_op.drop_index("ix_referral_events_referral")
    op.drop_table("referral_events")
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_index("ix_referrals_user_id")
        batch_op.drop_index("ix_referrals_queue")
        for name in ("alerts", *reversed(TIMES), "claimed_by", "partner", "outcome", "answers",
                     "summary", "contact", "gender", "age_band", "municipality", "channel"):
            batch_op.drop_column(name)
