"""Opportunities in the conversation: what was shown and who was interested (counts), the
opportunity a referral is about, deadline reminders asked for, and an index that tells cheaply
when the catalogue last changed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.sqlite_rebuild import referral_children_kept

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "opportunity_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_opportunity_events_opportunity", "opportunity_events",
                    ["opportunity_id", "kind"])
    op.create_index("ix_opportunities_updated_at", "opportunities", ["updated_at"])
    op.create_table(
        "opportunity_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "opportunity_id", name="uq_opportunity_reminders_user"),
    )
    op.create_index("ix_opportunity_reminders_due", "opportunity_reminders",
                    ["sent_at", "remind_on"])
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.add_column(sa.Column("opportunity_id", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("opportunity_title", sa.String(200), nullable=True))
        batch_op.create_index("ix_referrals_opportunity_id", ["opportunity_id"])


def downgrade() -> None:
    with referral_children_kept(), op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_index("ix_referrals_opportunity_id")
        batch_op.drop_column("opportunity_title")
        batch_op.drop_column("opportunity_id")
    op.drop_index("ix_opportunity_reminders_due", table_name="opportunity_reminders")
    op.drop_table("opportunity_reminders")
    op.drop_index("ix_opportunities_updated_at", table_name="opportunities")
    op.drop_index("ix_opportunity_events_opportunity", table_name="opportunity_events")
    op.drop_table("opportunity_events")
