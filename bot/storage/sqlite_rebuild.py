"""Altering ``referrals`` on SQLite without losing what points at it (for migrations).

SQLite alters a table by copying it to a new one and dropping the old one (Alembic's batch
mode); with foreign keys on, that drop deletes the referral's audit lines (ON DELETE CASCADE)
and unlinks outbox rows from it (SET NULL). Foreign keys cannot be switched off inside the
migration's transaction, so the children are kept aside and put back.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


@contextmanager
def referral_children_kept() -> Iterator[None]:
    """Wrap a ``batch_alter_table("referrals")``; does nothing outside SQLite."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    events = sa.Table("referral_events", sa.MetaData(), autoload_with=bind)
    outbox = sa.Table("outbox", sa.MetaData(), autoload_with=bind)
    kept = [dict(row._mapping) for row in bind.execute(sa.select(events))]
    links = [{"kept_id": row.id, "kept_referral": row.referral_id} for row in bind.execute(
        sa.select(outbox.c.id, outbox.c.referral_id).where(outbox.c.referral_id.is_not(None)))]
    yield
    present = set(bind.execute(sa.select(events.c.id)).scalars())
    if lost := [row for row in kept if row["id"] not in present]:
        bind.execute(events.insert(), lost)
    if links:
        bind.execute(outbox.update().where(outbox.c.id == sa.bindparam("kept_id"))
                     .values(referral_id=sa.bindparam("kept_referral")), links)
