"""The console's reports page for project managers (``/staff/reports``) and its downloads.

The page shows a period's published tables (:mod:`reports.published`: small counts hidden as in
the spreadsheet) with server-drawn SVG bar charts beside the main ones, inline in the page (no
script, no inline style: the console's Content-Security-Policy holds). The period is in the
address (``?from=…&to=…``), the last full quarter without it, so a report can be linked to;
``/staff/reports.xlsx`` and ``/staff/reports.csv`` give the same tables as files, written by
:mod:`reports.files` as ``youthbot report`` writes them. Only members who may see reports
(``Permission.SEE_REPORTS``) get any of it (403 for the others); every visit and download is
one log line with the member's id and the period, nothing about any young person.
"""

import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import Translator
from bot.staff.labels import LABELS, label
from bot.staff.permissions import Permission, may
from bot.storage.models import StaffMember
from bot.web.report_period import Asked, asked
from bot.web.sessions import Session
from reports.charts import STACKED, bar_chart
from reports.files import write_csv, write_xlsx
from reports.opportunity_counts import per_opportunity
from reports.published import PublishedReport, PublishedTable, published
from reports.summary import summary

if TYPE_CHECKING:
    from bot.web.console import Console

CHARTED = ("campaigns", "channels", "status", "outcomes", "municipalities")
"""The tables drawn as charts too: each campaign's funnel, then one chart a breakdown."""
FILES = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  write_xlsx),
         "csv": ("text/csv; charset=utf-8", write_csv)}
DOWNLOAD_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
log = logging.getLogger("youthbot.console")


def labeler(t: Translator) -> Callable[[str, str], str]:
    """The labels staff know codes by; a code of a kind with no labels (a partner's name) as
    it is."""
    def labeled(kind: str, code: str) -> str:
        return label(t, kind, code) if kind in LABELS else code

    return labeled


def charts(table: PublishedTable) -> list[Markup]:
    """The table's charts (SVG, escaped by :mod:`reports.charts`): a funnel a campaign, or the
    breakdown's values without its total (none when it has nothing but its total)."""
    if table.key not in CHARTED:
        return []
    if table.key == "campaigns":
        return [Markup(bar_chart(f"{table.title}: {name}",
                                 list(zip(table.columns[1:], values, strict=True)),
                                 f"chart-{table.key}-{number}", STACKED))
                for number, (name, values) in enumerate(table.rows)]
    bars = [(name, values[0]) for name, values in table.rows[:-1]]
    return [Markup(bar_chart(table.title, bars, f"chart-{table.key}", STACKED))] if bars else []


class ReportPages:
    """The reports page and its downloads, on the console's sessions, pages and refusals."""

    def __init__(self, console: "Console") -> None:
        self._console = console

    def routes(self) -> list[BaseRoute]:
        return [Route("/reports", self.page, methods=["GET"]),
                Route("/reports.{kind:str}", self.download, methods=["GET"])]

    async def page(self, request: Request) -> Response:
        return await self._answer(request, "page")

    async def download(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in FILES:
            return Response(status_code=404, headers=DOWNLOAD_HEADERS)
        return await self._answer(request, kind)

    async def _answer(self, request: Request, kind: str) -> Response:
        console = self._console
        found = await console._member(request)
        if isinstance(found, Response):
            return found
        session, member = found
        wanted = asked(request.query_params, console._clock().date())
        fields = {"member": member.id, "kind": kind, "from": wanted.start, "to": wanted.end}
        if not may(member, Permission.SEE_REPORTS):
            log.info("console report refused", extra={"fields": fields})
            return console._refused(request, session)
        t, _ = console._translator(request)
        if wanted.period is None:
            log.info("console report bad period", extra={"fields": fields})
            return self._form(request, session, member, wanted, None, status=400)
        report = await self._report(wanted, t)
        log.info("console report", extra={"fields": fields})
        if kind == "page":
            return self._form(request, session, member, wanted, report)
        media_type, write = FILES[kind]
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"report-{wanted.start}-{wanted.end}.{kind}"
            write(report, t, out)
            body = out.read_bytes()
        return Response(body, media_type=media_type, headers={
            **DOWNLOAD_HEADERS,
            "Content-Disposition": f'attachment; filename="{out.name}"'})

    async def _report(self, wanted: Asked, t: Translator) -> PublishedReport:
        assert wanted.period is not None
        now = self._console._clock()
        kept_from = now - timedelta(days=self._console.retention_days)
        async with self._console.unit_of_work() as uow:
            figures = await summary(uow.session, wanted.period, now, kept_from)
            counts = await per_opportunity(uow.session, wanted.period)
        return published(figures, counts, t, labeler(t))

    def _form(self, request: Request, session: Session, member: StaffMember, wanted: Asked,
              report: PublishedReport | None, *, status: int = 200) -> Response:
        query = urlencode({"from": wanted.start, "to": wanted.end})
        sections = [(table, charts(table)) for table in report.tables] if report else []
        return self._console._page(
            request, session, "reports.html", status=status, member=member, wanted=wanted,
            report=report, sections=sections, query=query)
