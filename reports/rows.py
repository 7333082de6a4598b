"""Row-level views for operators, in English: the referral listing, one referral in full, the
CSV for donor reports, and the replies that got stuck in the outbox.

The listing and the CSV carry no contact, summary or answers; the CSV keeps the demographic
fields donors ask for (municipality, age band, gender), which are erased when a young person
deletes their data. Only :func:`referral_detail`, for staff looking at one case, shows all.
"""

import csv
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Referral, ReferralEvent, StaffMember
from bot.storage.repositories import Outbox
from referrals.lifecycle import timings
from reports.period import ALL_TIME, Period

LIST_COLUMNS = ("id", "created", "priority", "topic", "status", "claimed_by")
EXPORT_COLUMNS = (
    "id", "created_at", "channel", "topic", "priority", "status", "outcome", "partner",
    "municipality", "age_band", "gender", "minutes_to_claim", "minutes_to_first_answer",
)
SHOW_FIELDS = (
    "id", "status", "priority", "topic", "channel", "user_id", "created_at", "updated_at",
    "claimed_by", "claimed_at", "contacted_at", "first_answer_at", "last_answer_at",
    "reminded_at", "closed_at", "outcome",
    "partner", "alerts", "last_alert_at", "municipality", "age_band", "gender", "contact",
    "summary", "answers",
)
OUTBOX_COLUMNS = ("id", "channel", "user", "written", "waiting because", "status", "error")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _when(at: datetime | None) -> str:
    return "" if at is None else at.strftime("%Y-%m-%d %H:%M")


def _cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with a leading '."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def _member(names: Mapping[int, str], member_id: int | None) -> str:
    """A staff member as operators know them: their name, else their id."""
    if member_id is None:
        return ""
    return names.get(member_id) or f"#{member_id}"


def list_row(referral: Any, names: Mapping[int, str] | None = None) -> tuple[str, ...]:
    """A referral as a line of the staff listing (:data:`LIST_COLUMNS`); ``names``: staff
    members' display names by id."""
    return (str(referral.id), _when(referral.created_at), referral.priority, referral.topic,
            referral.status, _member(names or {}, referral.claimed_by_id))


async def referral_list(
    session: AsyncSession, status: str | None = None, limit: int = 200
) -> list[tuple[str, ...]]:
    """The newest referrals (of one status), newest first, as :func:`list_row` lines."""
    query = select(Referral).order_by(Referral.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Referral.status == status)
    found = list((await session.execute(query)).scalars())
    names = await member_names(session, {r.claimed_by_id for r in found})
    return [list_row(r, names) for r in found]


async def member_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    """Staff members' display names by id, for the ids given (None ignored)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(wanted))
    return {member_id: name for member_id, name in (await session.execute(query)).all()}


def export_row(referral: Any) -> dict[str, str]:
    """A referral as a row of the donor CSV (:data:`EXPORT_COLUMNS`)."""
    took = timings(referral.created_at, referral.claimed_at, referral.first_answer_at)
    row = {name: _cell(getattr(referral, name)) for name in EXPORT_COLUMNS[:-2]}
    row["minutes_to_claim"] = _cell(took.to_claim)
    row["minutes_to_first_answer"] = _cell(took.to_first_answer)
    return row


async def export_rows(session: AsyncSession, period: Period = ALL_TIME) -> list[dict[str, str]]:
    """The referrals created in the period, oldest first, as :func:`export_row` rows."""
    query = select(Referral).where(*period.where(Referral.created_at)).order_by(Referral.id)
    return [export_row(r) for r in (await session.execute(query)).scalars()]


def write_csv(rows: Iterable[dict[str, str]], out: TextIO) -> int:
    """Write the donor report's CSV from :func:`export_row` rows; returns how many it wrote."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def show_lines(
    referral: Any, events: Iterable[Any], names: Mapping[int, str] | None = None
) -> list[str]:
    """Every field of one referral, then its audit trail, oldest first."""
    names = names or {}
    lines = []
    for name in SHOW_FIELDS:
        value = (_member(names, referral.claimed_by_id) if name == "claimed_by"
                 else getattr(referral, name))
        if isinstance(value, datetime):
            value = _when(value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        lines.append(f"{name:16} {'' if value is None else value}")
    took = timings(referral.created_at, referral.claimed_at, referral.first_answer_at)
    for label, minutes in (("to claim", took.to_claim), ("to 1st answer", took.to_first_answer)):
        lines.append(f"{label:16} {'-' if minutes is None else f'{minutes} min'}")
    lines.append("audit:")
    for event in events:
        who = _member(names, event.staff_member_id) or "-"
        line = f"  {_when(event.created_at)}  {event.kind:10} {who:12}"
        if event.detail:
            line += f" {event.detail}"
        if event.note:
            line += f" note: {event.note}"
        lines.append(line)
    return lines


async def referral_detail(session: AsyncSession, referral_id: int) -> list[str] | None:
    """One referral in full (personal fields too) with its audit trail; None if there is none."""
    referral = await session.get(Referral, referral_id)
    if referral is None:
        return None
    events = list((await session.execute(
        select(ReferralEvent).where(ReferralEvent.referral_id == referral_id)
        .order_by(ReferralEvent.id)
    )).scalars())
    names = await member_names(
        session, [referral.claimed_by_id, *(e.staff_member_id for e in events)])
    return show_lines(referral, events, names)


async def outbox_problems(
    session: AsyncSession, channel: str | None = None
) -> list[tuple[str, ...]]:
    """Replies that wait, failed for good or were reported failed (:data:`OUTBOX_COLUMNS`):
    no text and no address, only what says why."""
    return [(str(m.id), m.channel, str(m.user_id or ""), f"{m.created_at:%Y-%m-%d %H:%M}",
             m.held_reason or "", m.status or "", m.error_code or m.last_error or "")
            for m in await Outbox(session).problems(channel)]
