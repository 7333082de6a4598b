"""What reports keep of young people who deleted their data: counters, no one in them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kept_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("figure", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reached", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("figure", "key", "day", "reached", name="uq_kept_counts_figure"),
    )


def downgrade() -> None:
    op.drop_table("kept_counts")
