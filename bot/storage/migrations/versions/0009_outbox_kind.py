"""Outbox rows say what they are (reply, staff, alert), so delivery policies can tell them apart.

Existing rows are the bot's replies (``reply``), which is what they were sent as. (Independent of
0008, which another change adds in parallel: the merge chains this one after it.)

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(8), nullable=False, server_default="reply")
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("kind")
