"""The partner organisation a young person's consent named, on their referral: its workers see
what they shared.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.sqlite_rebuild import referral_children_kept

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with referral_children_kept(), op.batch_alter_table("referrals") as batch_op:
        batch_op.add_column(sa.Column("partner_consent", sa.String(120), nullable=True))


def downgrade() -> None:
    with referral_children_kept(), op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_column("partner_consent")
