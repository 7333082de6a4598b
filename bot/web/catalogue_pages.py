"""The console's catalogue pages (supervisors and admins): the opportunities with their counts,
publishing and unpublishing, the directory of local services, a form to add or change an
entry of either (``entry_forms``), and importing a file of either, all or nothing, with a dry
run. The work is done by ``opportunities`` (the same checks and the same import as
``youthbot opportunities import``)."""

import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot import content
from bot.config import LOCALES
from bot.i18n import N_
from bot.staff.permissions import Permission
from bot.storage.models import StaffMember
from bot.web import catalogue_form as cf
from bot.web.entry_forms import EntryForms, Kind
from bot.web.managing import UPLOAD_MAX, Managing, audit
from bot.web.sessions import Session
from opportunities import catalogue, importing, validation
from opportunities.directory import CHECKED_WITHIN
from opportunities.files import FORMATS, FileProblem, read_table
from reports.opportunity_counts import per_opportunity

MANAGE = Permission.MANAGE_OPPORTUNITIES
DONE = {"published": N_("console.manage.done.published"),
        "unpublished": N_("console.manage.done.unpublished"),
        "created": N_("console.manage.done.created"),
        "updated": N_("console.manage.done.updated"),
        "unchanged": N_("console.manage.done.unchanged")}
OPPORTUNITIES = Kind("opportunities", "opportunity", importing.opportunities, cf.OPPORTUNITY)
UNREADABLE = N_("console.manage.import.unreadable")


@cache
def _titles(content_dir: Path) -> dict[str, dict[str, str]]:
    """Each content page's title (locale → page id → title)."""
    store = content.load(content_dir, LOCALES)
    return {locale: {page_id: page.title for page_id, page in store.pages(locale).items()}
            for locale in store.locales}


def _topics(content_dir: Path) -> tuple[str, ...]:
    return tuple(sorted(next(iter(_titles(content_dir).values()))))


class CataloguePages(Managing):
    def routes(self) -> list[BaseRoute]:
        return [
            Route("/opportunities", self.listing, methods=["GET"]),
            Route("/opportunities/import", self.import_page, methods=["GET"]),
            Route("/opportunities/import", self.import_file, methods=["POST"]),
            *EntryForms(self.console, self.prefix, OPPORTUNITIES).routes(),
            Route("/opportunities/{entry:str}/{action:str}", self.publish, methods=["POST"]),
            Route("/services", self.services, methods=["GET"]),
            Route("/services/import", self.import_page, methods=["GET"]),
            Route("/services/import", self.import_file, methods=["POST"]),
            *EntryForms(self.console, self.prefix, self._services()).routes(),
        ]

    def _services(self) -> Kind:
        def topics() -> tuple[str, ...]:
            return _topics(self.console.content_dir)
        return Kind("services", "service", lambda: importing.services(topics()), cf.SERVICE,
                    topics, lambda: _titles(self.console.content_dir))

    def _catalogue(self, request: Request) -> importing.Catalogue[Any]:
        if request.url.path.startswith(f"{self.prefix}/services"):
            return importing.services(_topics(self.console.content_dir))
        return importing.opportunities()

    async def listing(self, request: Request) -> Response:
        found = await self.signed_in(request, MANAGE)
        if isinstance(found, Response):
            return found
        session, member = found
        async with self.uow() as uow:  # the page is made while its entries are loaded
            entries = await uow.catalogue.listing(importing.opportunities().model)
            counts = {c.id: c for c in await per_opportunity(uow.session)}
            return self.console._page(
                request, session, "opportunities.html", member=member, entries=entries,
                counts=counts, done=DONE.get(request.query_params.get("m", "")))

    async def services(self, request: Request) -> Response:
        found = await self.signed_in(request, MANAGE)
        if isinstance(found, Response):
            return found
        session, member = found
        stale_before = self.today() - CHECKED_WITHIN
        async with self.uow() as uow:
            entries = await uow.catalogue.listing(importing.services(()).model)
            return self.console._page(request, session, "services.html", member=member,
                                      entries=entries, stale_before=stale_before,
                                      done=DONE.get(request.query_params.get("m", "")))

    async def publish(self, request: Request) -> Response:
        found = await self.posted(request, MANAGE)
        if isinstance(found, Response):
            return found
        session, member, _form, _files = found
        entry_id, action = request.path_params["entry"], request.path_params["action"]
        if action not in ("publish", "unpublish"):
            return self._missing(request, session)
        act = catalogue.publish if action == "publish" else catalogue.unpublish
        async with self.uow() as uow:
            result = await act(uow, importing.opportunities(), entry_id)
            await uow.commit()
        if not result.ok:
            return self._missing(request, session)
        audit(member, f"opportunity.{action}", entry_id)
        return self.console._redirect(f"{self.prefix}/opportunities?m={result.outcome}",
                                      request, session)

    async def import_page(self, request: Request) -> Response:
        found = await self.signed_in(request, MANAGE)
        if isinstance(found, Response):
            return found
        session, member = found
        return self._import(request, session, member)

    async def import_file(self, request: Request) -> Response:
        found = await self.posted(request, MANAGE)
        if isinstance(found, Response):
            return found
        session, member, form, files = found
        filename, data = files.get("file", ("", b""))
        dry, kind = bool(form.get("dry_run")), self._catalogue(request)
        suffix = Path(filename).suffix.lower()
        if suffix not in FORMATS or len(data) > UPLOAD_MAX:
            return self._import(request, session, member, error=UNREADABLE, status=400)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(data)
            try:
                table = read_table(path)
            except FileProblem:
                return self._import(request, session, member, error=UNREADABLE, status=400)
        columns = kind.columns()
        checked = validation.check_rows(table.header, table.rows, columns, self.today())
        if checked.problems:
            return self._import(request, session, member, status=400,
                                problems=cf.said(checked.problems, table.header, columns))
        async with self.uow() as uow:
            changes = await importing.apply(uow, kind, checked.records, dry_run=dry)
            if not dry:
                await uow.commit()
        audit(member, f"{kind.model.__tablename__}.import" + (".dry_run" if dry else ""),
              len(checked.records))
        return self._import(request, session, member, changes=changes, dry=dry)

    def _import(self, request: Request, session: Session, member: StaffMember, *, status: int = 200,
                error: str | None = None, problems: Sequence[cf.Said] = (),
                changes: importing.Changes | None = None, dry: bool = False) -> Response:
        services = request.url.path.startswith(f"{self.prefix}/services")
        return self.console._page(
            request, session, "catalogue_import.html", status=status, member=member,
            services=services, error=error, problems=problems, changes=changes, dry=dry)
