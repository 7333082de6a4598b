"""A period's figures as they leave the programme: tables of counts with small ones hidden by
the rule of :mod:`reports.suppression`, headed in the staff's language.

:func:`published` lays out a :class:`~reports.summary.Summary` (and the counts per
opportunity) as the tables of :data:`TABLES`, in that order; the spreadsheet and CSV of
``youthbot report`` (:mod:`reports.files`) write them, and the console will show the same. Every
count goes through one :func:`~reports.suppression.publish` over the whole report, so a total
shown in two tables (the referrals', beside each breakdown) is hidden in both or in neither.

The profile question's tables count the young people who first came in the period and were
asked it: what came of it, then each answer (a step skipped or the question declined: "not
given"), beside their own total.

A breakdown's table lists its values largest first, then "not given" (the rows with no value:
a referral without a municipality, a closed one without an outcome) when there are any, then the
total. Times (median and 90th percentile, in minutes) are shown only where the count they stand
on is shown as a number.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import N_, Translator
from reports.funnel_steps import POSITIVE
from reports.opportunity_counts import OpportunityCounts
from reports.period import Period
from reports.summary import Summary
from reports.suppression import NOT_COUNTED, Published, Relation, publish
from reports.timings import MonthTimings, PriorityTimings

Labeler = Callable[[str, str], str]
"""A code's label for staff: ``(kind, code)``, e.g. ``("outcome", "job_interview")``."""
Cell = int | float | str


@dataclass(frozen=True)
class PublishedTable:
    key: str
    """Stable name (CSV, tests); :data:`TABLES`."""
    title: str
    columns: tuple[str, ...]
    """Headings; the first heads the rows' labels."""
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    """A label and its cells, one per column after the first."""


@dataclass(frozen=True)
class PublishedReport:
    period: Period
    generated_at: datetime
    cover: tuple[tuple[str, str], ...]
    """Lines of the cover sheet: a heading and its text."""
    tables: tuple[PublishedTable, ...]


TABLES: dict[str, str] = {
    "campaigns": N_("report.sheet.campaigns"),
    "channels": N_("report.sheet.channels"),
    "languages": N_("report.sheet.languages"),
    "profile_status": N_("report.sheet.profile_status"),
    "profile_municipalities": N_("report.sheet.profile_municipalities"),
    "profile_ages": N_("report.sheet.profile_ages"),
    "profile_genders": N_("report.sheet.profile_genders"),
    "status": N_("report.sheet.status"),
    "outcomes": N_("report.sheet.outcomes"),
    "helped": N_("report.sheet.helped"),
    "topics": N_("report.sheet.topics"),
    "priorities": N_("report.sheet.priorities"),
    "municipalities": N_("report.sheet.municipalities"),
    "ages": N_("report.sheet.ages"),
    "genders": N_("report.sheet.genders"),
    "partners": N_("report.sheet.partners"),
    "timings": N_("report.sheet.timings"),
    "timings_by_month": N_("report.sheet.timings_by_month"),
    "opportunities": N_("report.sheet.opportunities"),
}
"""Every table, in the order it is published, with its title's message id."""
COVER_SHEET = N_("report.sheet.cover")
_Timed = tuple[str, str, PriorityTimings | MonthTimings]
"""A timing row: its label, its figures' key, its times."""
FUNNEL_COLUMNS = (N_("report.column.campaign"), N_("report.column.started"),
                  N_("report.column.new_users"), N_("report.column.talked"),
                  N_("report.column.asked"), N_("report.column.closed"),
                  N_("report.column.positive"))
TIMING_COLUMNS = (N_("report.column.priority"), N_("report.column.claimed"),
                  N_("report.column.claim_median"), N_("report.column.claim_p90"),
                  N_("report.column.answered"), N_("report.column.answer_median"),
                  N_("report.column.answer_p90"))
MONTH_TIMING_COLUMNS = (N_("report.column.month_priority"), *TIMING_COLUMNS[1:])
OPPORTUNITY_COLUMNS = (N_("report.column.opportunity"), N_("report.column.views"),
                       N_("report.column.interested"), N_("report.column.referrals"),
                       N_("report.column.positive"), N_("report.column.alerts_sent"))
BREAKDOWN_HEADINGS = {
    "channels": N_("report.column.channel"), "languages": N_("report.column.language"),
    "status": N_("report.column.status"), "outcomes": N_("report.column.outcome"),
    "topics": N_("report.column.topic"), "priorities": N_("report.column.priority"),
    "municipalities": N_("report.column.municipality"), "ages": N_("report.column.age_band"),
    "genders": N_("report.column.gender"), "partners": N_("report.column.partner"),
    "profile_status": N_("report.column.answer"),
    "profile_municipalities": N_("report.column.municipality"),
    "profile_ages": N_("report.column.age_band"), "profile_genders": N_("report.column.gender"),
    "helped": N_("report.column.answer"),
}
LANGUAGES = {"sq": N_("report.language.sq"), "en": N_("report.language.en")}
"""The languages' names (the staff labels have none)."""
PROFILE_STATUSES = {"answered": N_("report.profile.answered"),
                    "asked": N_("report.profile.asked"),
                    "declined": N_("report.profile.declined")}
"""What came of the profile question (the staff labels have none)."""
HELPED = {"yes": N_("report.helped.yes"), "no": N_("report.helped.no")}
"""The answers to "did this help?"."""
NAMES = {"language": LANGUAGES, "profile": PROFILE_STATUSES, "helped": HELPED}
COUNT = N_("report.column.count")
TOTAL = N_("report.row.total")
NOT_GIVEN = N_("report.row.not_given")
UNKNOWN_CODE = N_("report.row.unknown_code")
COVER = (N_("report.cover.title"), N_("report.cover.period"), N_("report.cover.generated"),
         N_("report.cover.rule"), N_("report.cover.hidden"), N_("report.cover.not_counted"))
OPEN_END = "…"


@dataclass(frozen=True)
class _Figure:
    key: str


_Layout = list[tuple[str, tuple[Cell | _Figure, ...]]]


class _Builder:
    """Collects every count of the report under a key, the relations between them, and the
    tables' layout; :meth:`tables` publishes them all at once."""

    def __init__(self, t: Translator, label: Labeler) -> None:
        self.t, self.label = t, label
        self.counts: dict[str, int | None] = {}
        self.relations: list[Relation] = []
        self.layout: list[tuple[str, tuple[str, ...], _Layout]] = []

    def figure(self, key: str, count: int | None) -> _Figure:
        if key in self.counts and self.counts[key] != count:
            raise ValueError(f"figure {key} counted twice differently")
        self.counts[key] = count
        return _Figure(key)

    def breakdown(self, table: str, kind: str, counts: Mapping[str, int],
                  total_key: str, total: int) -> None:
        """``counts`` of the ``total`` rows, a table of their own: values, not given, total."""
        rows: _Layout = []
        parts = []
        for code, count in counts.items():
            parts.append(self.figure(f"{table}/{code}", count))
            names = NAMES.get(kind, {})
            name = self.t(names[code]) if code in names else self.label(kind, code)
            rows.append((name, (parts[-1],)))
        missing = total - sum(counts.values())
        if missing > 0:
            # "table#…" never meets a code's key, "table/<code>", whatever the code
            parts.append(self.figure(f"{table}#not_given", missing))
            rows.append((self.t(NOT_GIVEN), (parts[-1],)))
        if missing >= 0:
            self.relations.append(Relation(total_key, tuple(p.key for p in parts)))
        rows.append((self.t(TOTAL), (self.figure(total_key, total),)))
        self.layout.append((table, (self.t(BREAKDOWN_HEADINGS[table]), self.t(COUNT)), rows))

    def tables(self) -> tuple[PublishedTable, ...]:
        shown = publish(self.counts, self.relations)

        def cell(value: Cell | _Figure) -> Cell:
            return shown[value.key] if isinstance(value, _Figure) else value

        return tuple(
            PublishedTable(key, self.t(TABLES[key]), columns,
                           tuple((label, tuple(cell(c) for c in cells)) for label, cells in rows))
            for key, columns, rows in self.layout)


def published(
    summary: Summary, opportunities: Sequence[OpportunityCounts], t: Translator,
    label: Labeler,
) -> PublishedReport:
    """The report's tables (:data:`TABLES`) and cover, every count as published."""
    book = _Builder(t, label)
    funnel: _Layout = []
    for row in summary.campaign_funnel:
        name = t(UNKNOWN_CODE) if row.code is None else (row.name or row.code)
        key = f"campaigns/{row.code or ''}"
        funnel.append((name, tuple(  # unknown codes have starts only: no user is theirs
            book.figure(f"{key}/{step}", getattr(row, step)
                        if row.code is not None or step == "started" else None)
            for step in ("started", "new_users", "talked", "asked", "closed", "positive"))))
    book.layout.append(("campaigns", tuple(t(c) for c in FUNNEL_COLUMNS), funnel))

    users = summary.new_users
    book.breakdown("channels", "channel", users.by_channel, "users/total", users.total)
    book.breakdown("languages", "language", users.by_language, "users/total", users.total)
    made = summary.referrals
    book.breakdown("status", "status", made.by_status, "referrals/total", made.total)
    closed = made.by_status.get("closed", 0)
    if sum(made.by_outcome.values()) <= closed:
        book.breakdown("outcomes", "outcome", made.by_outcome, "status/closed", closed)
    else:  # outcomes on referrals no longer closed (reopened by hand): a total of their own
        book.breakdown("outcomes", "outcome", made.by_outcome, "outcomes/total",
                       sum(made.by_outcome.values()))
    book.breakdown("helped", "helped", summary.helped, "helped/total",
                   sum(summary.helped.values()))
    for table, kind, counts in (
        ("topics", "topic", made.by_topic), ("priorities", "priority", made.by_priority),
        ("municipalities", "municipality", made.by_municipality),
        ("ages", "age", made.by_age_band), ("genders", "gender", made.by_gender),
        ("partners", "partner", made.by_partner),
    ):
        book.breakdown(table, kind, counts, "referrals/total", made.total)
    # the people asked the profile question: each answer of theirs beside "not given"
    asked = summary.profiles
    book.breakdown("profile_status", "profile", asked.by_status, "profiles/total",
                   sum(asked.by_status.values()))
    for table, kind, counts in (("profile_municipalities", "municipality", asked.by_municipality),
                                ("profile_ages", "age", asked.by_age_band),
                                ("profile_genders", "gender", asked.by_gender)):
        book.breakdown(table, kind, counts, "profiles/total", sum(asked.by_status.values()))

    timing_keys: list[_Timed] = [
        (label("priority", level.priority), f"timings/{level.priority}", level)
        for level in summary.timings]
    month_keys: list[_Timed] = [(f"{level.month} · {label('priority', level.priority)}",
                   f"timings/{level.month}/{level.priority}", level)
                  for level in summary.timings_by_month]
    counted = {key: (book.figure(f"{key}/claimed", level.to_claim.count),
                     book.figure(f"{key}/answered", level.to_first_answer.count))
               for _, key, level in (*timing_keys, *month_keys)}
    opportunity_rows: _Layout = [
        (row.title_sq or row.id, tuple(book.figure(f"opportunities/{row.id}/{what}", count)
                                       for what, count in (
            ("views", row.views), ("interested", row.interested),
            ("referrals", row.referrals), ("positive", _positive(row.outcomes)),
            ("alerts_sent", row.alerts_sent))))
        for row in opportunities]
    shown = publish(book.counts, book.relations)

    def minutes(figure: _Figure, value: float | None) -> Cell:
        return value if value is not None and isinstance(shown[figure.key], int) else NOT_COUNTED

    def timing_rows(keyed: Sequence[_Timed]) -> _Layout:
        rows: _Layout = []
        for row_label, key, level in keyed:
            claim, answer = counted[key]
            rows.append((row_label, (
                claim, minutes(claim, level.to_claim.median), minutes(claim, level.to_claim.p90),
                answer, minutes(answer, level.to_first_answer.median),
                minutes(answer, level.to_first_answer.p90))))
        return rows

    book.layout.append(("timings", tuple(t(c) for c in TIMING_COLUMNS), timing_rows(timing_keys)))
    book.layout.append(("timings_by_month", tuple(t(c) for c in MONTH_TIMING_COLUMNS),
                        timing_rows(month_keys)))
    book.layout.append(("opportunities", tuple(t(c) for c in OPPORTUNITY_COLUMNS),
                        opportunity_rows))

    period = summary.period
    generated = summary.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    cover_texts = (
        "", f"{period.start or OPEN_END} – {period.end or OPEN_END}", generated,
        t("report.rule"), t("report.hidden"), t("report.not_counted"),
    )
    cover = tuple((t(heading), text) for heading, text in zip(COVER, cover_texts, strict=True))
    order = {key: number for number, key in enumerate(TABLES)}
    tables = sorted(book.tables(), key=lambda table: order[table.key])
    return PublishedReport(period, summary.generated_at, cover, tuple(tables))


def _positive(outcomes: Mapping[str, int] | None) -> int | None:
    """Closed referrals whose outcome was positive (``reports.funnel_steps.POSITIVE``)."""
    if outcomes is None:
        return None
    return sum(count for outcome, count in outcomes.items() if outcome in POSITIVE)


def cells(report: PublishedReport) -> dict[tuple[str, str, str], Published | float]:
    """Every cell of every table by (table key, row label, column heading): for the CSV and
    for tests."""
    found: dict[tuple[str, str, str], Published | float] = {}
    for table in report.tables:
        for label, values in table.rows:
            for heading, value in zip(table.columns[1:], values, strict=True):
                found[(table.key, label, heading)] = value
    return found
