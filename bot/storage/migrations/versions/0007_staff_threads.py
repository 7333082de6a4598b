"""Forum topics in the staff group: a referral's topic, and the thread an outbox message goes to.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.add_column(sa.Column("staff_thread", sa.String(32), nullable=True))
        batch_op.create_index("ix_referrals_staff_thread", ["staff_thread"])
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("thread", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("thread")
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_index("ix_referrals_staff_thread")
        batch_op.drop_column("staff_thread")
