"""Campaign events (what each link brought); users and replies the platform refuses.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("campaign_events") as batch_op:
        batch_op.create_index("ix_campaign_events_campaign", ["campaign_id", "kind"])
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("unreachable_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("abandoned_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("abandoned_at")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("unreachable_at")
    with op.batch_alter_table("campaign_events") as batch_op:
        batch_op.drop_index("ix_campaign_events_campaign")
    op.drop_table("campaign_events")
