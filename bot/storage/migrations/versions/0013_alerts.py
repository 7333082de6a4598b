"""Opt-in alerts: subscriptions, broadcasts and what each broadcast did per subscriber.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sector", sa.String(32), nullable=False),
        sa.Column("municipality", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "kind", "sector", "municipality",
                            name="uq_alert_subscriptions_filter"),
    )
    op.create_index("ix_alert_subscriptions_kind", "alert_subscriptions", ["kind", "municipality"])
    op.create_table(
        "alert_broadcasts",
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("opportunity_id"),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(16), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("opportunity_id", "user_id", name="uq_alert_deliveries_once"),
    )
    op.create_index("ix_alert_deliveries_user", "alert_deliveries",
                    ["user_id", "status", "decided_at"])


def downgrade() -> None:
    op.drop_index("ix_alert_deliveries_user", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_table("alert_broadcasts")
    op.drop_index("ix_alert_subscriptions_kind", table_name="alert_subscriptions")
    op.drop_table("alert_subscriptions")
