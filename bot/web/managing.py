"""What the console's management pages share (opportunities, services, staff, passwords): the
signed-in member with the right to be there, a form that carries the session's CSRF token, the
local day, and one audit line per action (the member's id, the action, the target's id: never
an e-mail or a password)."""

import logging
from datetime import date
from typing import TYPE_CHECKING

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from bot.i18n import N_
from bot.staff.permissions import Permission, may
from bot.storage.models import StaffMember
from bot.storage.unit_of_work import UnitOfWork
from bot.web.render import LOCAL
from bot.web.sessions import Session

if TYPE_CHECKING:
    from bot.web.console import Console

Files = dict[str, tuple[str, bytes]]
log = logging.getLogger("youthbot.console")
UPLOAD_MAX = 5 * 1024 * 1024
"""The largest catalogue file a page takes (bytes); a form field at most 8 KiB."""


class Managing:
    """The pieces of the :class:`Console` a management page uses."""

    def __init__(self, console: "Console", prefix: str) -> None:
        self.console = console
        self.prefix = prefix

    async def signed_in(self, request: Request, permission: Permission | None
                        ) -> tuple[Session, StaffMember] | Response:
        """The member, if signed in and allowed (``None``: any signed-in member); else the
        sign-in page or 403."""
        found = await self.console._member(request)
        if isinstance(found, Response):
            return found
        session, member = found
        if permission is not None and not may(member, permission):
            return self.console._refused(request, session)
        return session, member

    async def posted(self, request: Request, permission: Permission | None
                     ) -> tuple[Session, StaffMember, FormData, Files] | Response:
        """As :meth:`signed_in` for a POST, whose form must carry the CSRF token (else 403).
        Its files come read (each name → file name and at most ``UPLOAD_MAX`` + 1 bytes) and
        closed."""
        found = await self.console._member(request, posting=True)
        if isinstance(found, Response):
            return found
        session, member = found
        async with request.form() as form:
            files = {name: (value.filename or "", await value.read(UPLOAD_MAX + 1))
                     for name, value in form.multi_items() if isinstance(value, UploadFile)}
        if not self.console._signer.csrf_ok(session, form.get("csrf")):
            return self.console._refused(request, session)
        if permission is not None and not may(member, permission):
            return self.console._refused(request, session)
        return session, member, form, files

    def uow(self) -> UnitOfWork:
        return self.console.unit_of_work()

    def today(self) -> date:
        return self.console._clock().astimezone(LOCAL).date()

    def _missing(self, request: Request, session: Session) -> Response:
        return self.console._page(request, session, "error.html", status=404, member=None,
                                  message=N_("console.not_found"))


def text(form: FormData, name: str, limit: int = 8192) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""




def audit(member: StaffMember, action: str, target: object) -> None:
    log.info("console action", extra={"fields": {
        "member": member.id, "action": action, "target": str(target)}})
