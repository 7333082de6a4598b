"""The form to add or change one catalogue entry, the same for opportunities and local
services: the fields arrive as a file's cells and pass the import's checks
(``opportunities.catalogue.create`` / ``update``); a broken rule is said next to its field
(400) and nothing changes, an id already there is refused."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import N_
from bot.staff.permissions import Permission
from bot.storage.models import StaffMember
from bot.web import catalogue_form as cf
from bot.web.managing import Managing, audit
from bot.web.sessions import Session
from opportunities import catalogue, importing

if TYPE_CHECKING:
    from bot.web.console import Console

MANAGE = Permission.MANAGE_OPPORTUNITIES
EXISTS = N_("console.manage.rule.exists")
TITLES = {"opportunities": (N_("console.opportunities.new"), N_("console.opportunities.edit"),
                            N_("console.opportunities.title")),
          "services": (N_("console.services.new"), N_("console.services.edit"),
                       N_("console.services.title"))}
"""Each catalogue's form titles (new, edit) and its list's name."""


@dataclass(frozen=True)
class Kind:
    """One catalogue as its form knows it."""

    path: str
    """Its pages' path under the console (``opportunities``, ``services``)."""
    audit: str
    """Its name in the audit lines (``opportunity.create``)."""
    catalogue: Callable[[], importing.Catalogue[Any]]
    shape: cf.Shape
    topics: Callable[[], Sequence[str]] = tuple
    """The content page ids a service may help with (its ``topics`` checkboxes)."""
    titles: Callable[[], Mapping[str, Mapping[str, str]]] = dict
    """Their titles, shown beside each id (locale → page id → title)."""


class EntryForms(Managing):
    def __init__(self, console: "Console", prefix: str, kind: Kind) -> None:
        super().__init__(console, prefix)
        self.kind = kind

    def routes(self) -> list[BaseRoute]:
        path = f"/{self.kind.path}"
        return [
            Route(f"{path}/new", self.form, methods=["GET"]),
            Route(f"{path}/new", self.save, methods=["POST"]),
            Route(f"{path}/{{entry:str}}/edit", self.form, methods=["GET"]),
            Route(f"{path}/{{entry:str}}/edit", self.save, methods=["POST"]),
        ]

    async def form(self, request: Request) -> Response:
        found = await self.signed_in(request, MANAGE)
        if isinstance(found, Response):
            return found
        session, member = found
        entry_id = request.path_params.get("entry")
        cells = {"published": "no"}
        if entry_id is not None:
            kind = self.kind.catalogue()
            async with self.uow() as uow:
                entry = await uow.catalogue.get(kind.model, entry_id)
                if entry is None:
                    return self._missing(request, session)
                cells = {c.name: importing.cell(getattr(entry, c.name)) for c in kind.columns()}
        return self._form(request, session, member, entry_id, cells, {})

    async def save(self, request: Request) -> Response:
        found = await self.posted(request, MANAGE)
        if isinstance(found, Response):
            return found
        session, member, form, _files = found
        entry_id = request.path_params.get("entry")
        cells = cf.from_form(form, self.kind.shape)
        kind = self.kind.catalogue()
        async with self.uow() as uow:
            if entry_id is None:
                result = await catalogue.create(uow, kind, cells, self.today())
            else:
                result = await catalogue.update(uow, kind, entry_id, cells, self.today())
            if result.ok:
                await uow.commit()
        if result.outcome is catalogue.Outcome.MISSING:
            return self._missing(request, session)
        if not result.ok:
            errors = cf.field_errors(result.problems)
            if result.outcome is catalogue.Outcome.EXISTS:
                errors["id"] = cf.Said(0, "id", EXISTS, {})
            return self._form(request, session, member, entry_id, cells, errors, status=400)
        action = "create" if entry_id is None else "update"
        audit(member, f"{self.kind.audit}.{action}", result.entry_id)
        return self.console._redirect(f"{self.prefix}/{self.kind.path}?m={result.outcome}",
                                      request, session)

    def _form(self, request: Request, session: Session, member: StaffMember, entry_id: str | None,
              cells: dict[str, str], errors: dict[str, cf.Said], status: int = 200
              ) -> Response:
        new, edit, back = TITLES[self.kind.path]
        return self.console._page(
            request, session, "opportunity_form.html", status=status, member=member,
            entry_id=entry_id, cells=cells, errors=errors, fields=self.kind.shape.fields,
            labels=cf.LABELS, long=cf.LONG, lists=self.kind.shape.lists,
            choices=cf.choices(self.kind.topics()), title_key=edit if entry_id else new,
            back=self.kind.path, back_key=back, titles=self.kind.titles())
