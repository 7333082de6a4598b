"""The staff console's sign-in attempts (to lock an account or an address that guesses).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_console_sign_ins_account", "console_sign_ins", ["account", "created_at"])
    op.create_index("ix_console_sign_ins_address", "console_sign_ins", ["address", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_console_sign_ins_address", table_name="console_sign_ins")
    op.drop_index("ix_console_sign_ins_account", table_name="console_sign_ins")
    op.drop_table("console_sign_ins")
