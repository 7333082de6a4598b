"""The statements by which senders lease and settle outbox rows, and a turn releases held ones:
Core statements built once (cacheable), so the hot path compiles nothing."""

from typing import cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    Table,
    Update,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    update,
)

from bot.storage.models import OutboxMessage

OUTBOX = cast(Table, OutboxMessage.__table__)


def lease_next(*also: ColumnElement[bool]) -> Update:
    """Lease the chat's oldest unsent row (among those that meet ``also``), unless it is held
    or leased already."""
    oldest = select(func.min(OUTBOX.c.id)).where(
        OUTBOX.c.channel == bindparam("chat_channel"),
        OUTBOX.c.address == bindparam("chat_address"),
        OUTBOX.c.sent_at.is_(None), OUTBOX.c.abandoned_at.is_(None), *also,
    )
    return (
        update(OUTBOX)
        .where(
            OUTBOX.c.id == oldest.scalar_subquery(),
            OUTBOX.c.held_reason.is_(None),
            or_(OUTBOX.c.lease_until.is_(None), OUTBOX.c.lease_until < bindparam("now")),
        )
        .values(lease_until=bindparam("until"))
        .returning(*OUTBOX.c)
    )


LEASE_NEXT = lease_next()
SETTLE = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("message_id"))
    .values(attempts=OUTBOX.c.attempts + 1, lease_until=None)
)
"""An attempt is over; the caller's parameters say how (``sent_at``, ``last_error``, ...)."""
ERASED_ADDRESS = "erased"
"""The address of a settled row whose person erased their data."""
_ERASED = OUTBOX.c.erase_after_send.is_(True)
SENT = SETTLE.values(
    sent_at=bindparam("when_sent"), provider_id=bindparam("sent_as"),
    address=case((_ERASED, ERASED_ADDRESS), else_=OUTBOX.c.address),
    text=case((_ERASED, ""), else_=OUTBOX.c.text),
    choices=case((_ERASED, literal([], JSON)), else_=OUTBOX.c.choices),
)
"""A sent row settled; if its person erased their data by now (perhaps while it was on its
way, after the sender read it), it is forgotten in the same statement: nothing of them is left."""
SENT_THEN_LEASE_NEXT = lease_next(
    OUTBOX.c.id != select(SENT.returning(OUTBOX.c.id).cte("sent").c.id).scalar_subquery())
"""PostgreSQL: a sent row settled and the chat's next one leased in one statement (the
sender's hot path: one round trip a reply less). The data-modifying CTE runs first, but the
lease's subquery sees the table as it was, so the settled row is left out by its id."""
RELEASE = (
    update(OUTBOX)
    .where(OUTBOX.c.channel == bindparam("chat_channel"),
           OUTBOX.c.address == bindparam("chat_address"),
           OUTBOX.c.sent_at.is_(None), OUTBOX.c.abandoned_at.is_(None),
           OUTBOX.c.held_reason.is_not(None))
    .values(held_reason=None)
)
"""Run on every turn: a Core UPDATE, without the ORM's bulk-update bookkeeping (no outbox
row is loaded in a turn's session, so there is nothing to synchronise)."""
