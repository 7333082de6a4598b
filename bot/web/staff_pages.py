"""The console's pages for people: the management hub (what this member may manage), the staff
members (admins only: add, change role, disable or enable, reset a password) and every
member's own password. The work is done by ``bot.staff.accounts``; a refusal there is said on
the page in the catalogs' words (by its ``reason``), never a 500."""

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import N_
from bot.staff import accounts
from bot.staff.accounts import PASSWORD_MIN, AccountError
from bot.staff.permissions import Permission, Role, may
from bot.storage.models import StaffMember
from bot.web.managing import Managing, audit, text
from bot.web.sessions import Session

STAFF = Permission.MANAGE_STAFF
REFUSED = {
    "email": N_("console.members.error.email"), "name": N_("console.members.error.name"),
    "role": N_("console.members.error.role"), "partner": N_("console.members.error.partner"),
    "taken": N_("console.members.error.taken"), "telegram": N_("console.members.error.taken"),
    "password": N_("console.members.error.password"),
    "missing": N_("console.not_found"),
    "wrong_password": N_("console.password.wrong"),
    "last_admin": N_("console.members.error.last_admin"),
}
"""What a page says for each ``AccountError.reason``."""
DONE = {"added": N_("console.members.done.added"), "role": N_("console.members.done.role"),
        "disabled": N_("console.members.done.disabled"),
        "enabled": N_("console.members.done.enabled")}
ROLES = tuple(role.value for role in Role)
ROLE_LABELS = {"caseworker": N_("console.role.caseworker"),
               "supervisor": N_("console.role.supervisor"), "admin": N_("console.role.admin"),
               "partner": N_("console.role.partner"), "viewer": N_("console.role.viewer")}


class StaffPages(Managing):
    def routes(self) -> list[BaseRoute]:
        return [
            Route("/manage", self.hub, methods=["GET"]),
            Route("/members", self.members, methods=["GET"]),
            Route("/members", self.add, methods=["POST"]),
            Route("/members/{member:int}/{action:str}", self.change, methods=["POST"]),
            Route("/password", self.password_page, methods=["GET"]),
            Route("/password", self.password, methods=["POST"]),
        ]

    async def hub(self, request: Request) -> Response:
        found = await self.signed_in(request, None)
        if isinstance(found, Response):
            return found
        session, member = found
        return self.console._page(
            request, session, "manage.html", member=member,
            catalogue=may(member, Permission.MANAGE_OPPORTUNITIES), staff=may(member, STAFF))

    async def members(self, request: Request) -> Response:
        found = await self.signed_in(request, STAFF)
        if isinstance(found, Response):
            return found
        session, member = found
        return await self._members(request, session, member,
                                   done=DONE.get(request.query_params.get("m", "")))

    async def add(self, request: Request) -> Response:
        found = await self.posted(request, STAFF)
        if isinstance(found, Response):
            return found
        session, member, form, _files = found
        typed = text(form, "password", 1024)
        try:
            async with self.uow() as uow:
                password = accounts.password_ok(typed) if typed \
                    else accounts.one_time_password()
                added = await accounts.add_member(
                    uow, email=text(form, "email", 300), name=text(form, "name", 300),
                    role_name=text(form, "role", 40), password=password,
                    partner=text(form, "partner", 200) or None)
                await uow.commit()
                added_id = added.id
        except AccountError as error:
            return await self._members(request, session, member, status=400,
                                       error=REFUSED[error.reason], form=form)
        audit(member, "member.add", added_id)
        return await self._members(request, session, member, done=DONE["added"],
                                   shown=None if typed else password)

    async def change(self, request: Request) -> Response:
        found = await self.posted(request, STAFF)
        if isinstance(found, Response):
            return found
        session, member, form, _files = found
        target, action = request.path_params["member"], request.path_params["action"]
        shown, code = None, action
        try:
            async with self.uow() as uow:
                if action == "role":
                    await accounts.change_role(uow, target, text(form, "role", 40),
                                               text(form, "partner", 200))
                elif action in ("disable", "enable"):
                    await accounts.set_active(uow, target, action == "enable")
                    code = f"{action}d"
                elif action == "password":
                    typed = text(form, "password", 1024)
                    _changed, shown = await accounts.reset_password(uow, target, typed or None)
                    if typed:
                        shown = None
                else:
                    raise AccountError("no such action")
                await uow.commit()
        except AccountError as error:
            return await self._members(request, session, member, status=400,
                                       error=REFUSED[error.reason])
        audit(member, f"member.{action}", target)
        if action == "password":
            return await self._members(request, session, member, shown=shown, reset=True)
        return self.console._redirect(f"{self.prefix}/members?m={code}", request, session)

    async def _members(self, request: Request, session: Session, member: StaffMember, *,
                       status: int = 200, error: str | None = None, done: str | None = None,
                       shown: str | None = None, reset: bool = False,
                       form: FormData | None = None) -> Response:
        kept = {name: text(form, name, 300) for name in ("name", "email", "role", "partner")} \
            if form is not None else {}
        async with self.uow() as uow:  # the page is made while the members are loaded
            listed = list(await uow.staff.listing())
            return self.console._page(
                request, session, "members.html", status=status, member=member,
                listed=listed, roles=ROLES, role_labels=ROLE_LABELS, error=error, done=done,
                shown=shown, reset=reset, kept=kept, password_min=PASSWORD_MIN)

    async def password_page(self, request: Request) -> Response:
        found = await self.signed_in(request, None)
        if isinstance(found, Response):
            return found
        session, member = found
        return self._password(request, session, member)

    async def password(self, request: Request) -> Response:
        found = await self.posted(request, None)
        if isinstance(found, Response):
            return found
        session, member, form, _files = found
        new = text(form, "new", 1024)
        if new != text(form, "again", 1024):
            return self._password(request, session, member, status=400,
                                  error=N_("console.password.mismatch"))
        try:
            async with self.uow() as uow:
                await accounts.change_own_password(uow, member.id, text(form, "current", 1024),
                                                   new)
                await uow.commit()
        except AccountError as error:
            return self._password(request, session, member, status=400,
                                  error=REFUSED[error.reason])
        audit(member, "password.change", member.id)
        return self._password(request, session, member, done=N_("console.password.done"))

    def _password(self, request: Request, session: Session, member: StaffMember, *,
                  status: int = 200, error: str | None = None, done: str | None = None
                  ) -> Response:
        return self.console._page(request, session, "password.html", status=status,
                                  member=member, error=error, done=done,
                                  password_min=PASSWORD_MIN)
