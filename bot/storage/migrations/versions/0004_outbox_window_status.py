"""WhatsApp: replies held while the 24-hour window is closed, and each message's delivery status.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("held_reason", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("provider_id", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("error_code", sa.String(16), nullable=True))
        batch_op.create_index("ix_outbox_provider_id", ["provider_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_provider_id")
        batch_op.drop_column("error_code")
        batch_op.drop_column("status")
        batch_op.drop_column("provider_id")
        batch_op.drop_column("held_reason")
