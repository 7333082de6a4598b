"""The catalogue: opportunities (trainings, jobs, grants …) and the directory of local services.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _shared() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("title_sq", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("summary_sq", sa.Text(), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("municipalities", sa.JSON(), nullable=False),
        sa.Column("apply", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("checked", sa.Date(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    ]


def upgrade() -> None:
    op.create_table(
        "opportunities", *_shared(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
    )
    op.create_index("ix_opportunities_published_deadline", "opportunities",
                    ["published", "deadline"])
    op.create_table(
        "local_services", *_shared(),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(64), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("local_services")
    op.drop_index("ix_opportunities_published_deadline", table_name="opportunities")
    op.drop_table("opportunities")
