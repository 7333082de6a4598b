"""The console's routes: sign-in and out, the queue, a referral's case page and its actions.

Every request is checked here: the session cookie (signed, expiring), then the member it names,
read from the database (a disabled member is signed out at their next request), then the
member's rights, by the staff actions themselves. Every POST carries the session's CSRF token
or gets 403. An action answers with a redirect to the case page (post, redirect, get), which
says what came of it.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from bot.i18n import N_, Translator
from bot.paths import CONTENT_DIR
from bot.staff import results as r
from bot.staff.accounts import MemberId, display_name
from bot.staff.actions import StaffActions
from bot.storage.models import StaffMember
from bot.storage.unit_of_work import UnitOfWork
from bot.web.catalogue_pages import CataloguePages
from bot.web.forms import plain_form
from bot.web.render import STATIC, Pages
from bot.web.reports import ReportPages
from bot.web.sessions import COOKIE, IDLE, REFRESH, CookieSigner, Session
from bot.web.signin import SignIn
from bot.web.staff_pages import StaffPages

PREFIX = "/staff"
LANG_COOKIE = "youthbot_staff_lang"
TEXT_MAX = 4000
DONE = {
    "claimed": N_("console.done.claimed"), "held": N_("console.done.held"),
    "not_open": N_("console.done.not_open"), "needs_text": N_("console.done.needs_text"),
    "answered": N_("console.done.answered"), "user_gone": N_("console.done.user_gone"),
    "noted": N_("console.done.noted"), "unclaimed": N_("console.done.unclaimed"),
    "not_claimed": N_("console.done.not_claimed"),
    "needs_outcome": N_("console.done.needs_outcome"), "closed": N_("console.done.closed"),
}
"""What the case page says after an action, by the code its redirect carries."""
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
           "Content-Security-Policy": "; ".join((
               "default-src 'none'", "style-src 'self'", "script-src 'self'", "img-src 'self'",
               "connect-src 'self'", "form-action 'self'", "base-uri 'none'",
               "frame-ancestors 'none'"))}
"""Every page: never cached, never framed, this service's stylesheet and script only."""
STATIC_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
POLL = 30.0
"""Seconds between the queue page's looks for changes (``static/console.js``)."""
log = logging.getLogger("youthbot.console")


class Console:
    def __init__(
        self, key: str, actions: StaffActions, unit_of_work: Callable[[], UnitOfWork],
        translators: dict[str, Translator], default_locale: str,
        clock: Callable[[], datetime], poll_seconds: float = POLL, *,
        secure_cookies: bool = False, retention_days: int = 180,
        content_dir: Path = CONTENT_DIR,
    ) -> None:
        self.unit_of_work, self.retention_days = unit_of_work, retention_days
        self.content_dir = content_dir
        self._signer = CookieSigner(key)
        self._signin = SignIn(unit_of_work, key, clock)
        self._actions = actions
        self._translators = translators
        self._default = default_locale
        self._clock = clock
        self._pages = Pages()
        self._style = (STATIC / "console.css").read_text(encoding="utf-8")
        self._script = (STATIC / "console.js").read_text(encoding="utf-8")
        self._poll_ms = int(poll_seconds * 1000)
        self._secure = secure_cookies
        """Cookies only over https: always when the service's public address is https (behind
        a proxy the request itself may look like plain http)."""

    def routes(self) -> list[BaseRoute]:
        from bot.web.casework import Casework  # the queue, the case page, reassign, close
        inner = Starlette(routes=[
            *Casework(self, self._actions, self.unit_of_work, self._clock).routes(),
            Route("/login", self.login_page, methods=["GET"]),
            Route("/login", self.login, methods=["POST"]),
            Route("/logout", self.logout, methods=["POST"]),
            Route("/referrals/{referral:int}/{action:str}", self.act, methods=["POST"]),
            Route("/console.css", self.style, methods=["GET"]),
            Route("/console.js", self.script, methods=["GET"]),
            *ReportPages(self).routes(),
            *CataloguePages(self, PREFIX).routes(), *StaffPages(self, PREFIX).routes(),
        ])
        return [Mount(PREFIX, app=inner)]

    # Signing in and out.

    async def login_page(self, request: Request) -> Response:
        session = self._session(request)
        if session is not None and session.signed_in:
            return self._redirect(f"{PREFIX}/")
        session = session or self._signer.new(0, self._now())
        return self._page(request, session, "login.html", error=None)

    async def login(self, request: Request) -> Response:
        session = self._session(request)
        form = await plain_form(request)
        if session is None or not self._signer.csrf_ok(session, form.get("csrf")):
            return self._refused(request, session)
        email, password = form.get("email"), form.get("password")
        if not isinstance(email, str) or not isinstance(password, str):
            return self._page(request, session, "login.html", status=400,
                              error=N_("console.login.wrong"))
        address = request.client.host if request.client else "-"
        attempt = await self._signin.attempt(email[:254], password[:1024], address)
        if attempt.outcome == "locked":
            return self._page(request, session, "login.html", status=429,
                              error=N_("console.login.locked"))
        if attempt.member_id is None:
            return self._page(request, session, "login.html", status=401,
                              error=N_("console.login.wrong"))
        fresh = self._signer.new(attempt.member_id, self._now())
        return self._redirect(f"{PREFIX}/", request, fresh)

    async def logout(self, request: Request) -> Response:
        session = self._session(request)
        form = await plain_form(request)
        if session is None or not self._signer.csrf_ok(session, form.get("csrf")):
            return self._refused(request, session)
        log.info("console sign-out", extra={"fields": {"member": session.member_id or None}})
        response = self._redirect(f"{PREFIX}/login")
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    # The case page's actions (its page and the queue: :mod:`.casework`).

    async def act(self, request: Request) -> Response:
        found = await self._member(request, posting=True)
        if isinstance(found, Response):
            return found
        session, member = found
        form = await plain_form(request)
        if not self._signer.csrf_ok(session, form.get("csrf")):
            return self._refused(request, session)
        referral_id: int = request.path_params["referral"]
        action = request.path_params["action"]
        text = form.get("text")
        text = text[:TEXT_MAX] if isinstance(text, str) else ""
        who = MemberId(member.id)
        result: object
        if action == "claim":
            result = await self._actions.claim(who, referral_id)
        elif action == "reply":
            result = await self._actions.answer(who, referral_id, text)
        elif action == "note":
            result = await self._actions.note(who, referral_id, text)
        elif action == "unclaim":
            result = await self._actions.unclaim(who, referral_id)
        else:
            return self._page(request, session, "error.html", status=404, member=member,
                              message=N_("console.not_found"))
        log.info("console action", extra={"fields": {
            "action": action, "referral": referral_id, "member": member.id,
            "result": type(result).__name__}})
        if isinstance(result, r.NotAllowed):
            return self._refused(request, session)
        if isinstance(result, r.NotFound):
            return self._page(request, session, "error.html", status=404, member=member,
                              message=N_("console.not_found"))
        return self._redirect(f"{PREFIX}/referrals/{referral_id}?m={_code(result)}",
                              request, session)

    async def style(self, _request: Request) -> Response:
        return Response(self._style, media_type="text/css", headers=STATIC_HEADERS)

    async def script(self, _request: Request) -> Response:
        return Response(self._script, media_type="text/javascript", headers=STATIC_HEADERS)

    # The session, the member, the answer.

    def _now(self) -> float:
        return self._clock().timestamp()

    def _session(self, request: Request) -> Session | None:
        return self._signer.load(request.cookies.get(COOKIE), self._now())

    async def _member(self, request: Request, *, posting: bool = False
                      ) -> tuple[Session, StaffMember] | Response:
        """The signed-in member, still active; else to the sign-in page (a POST: 403)."""
        session = self._session(request)
        member = None
        if session is not None and session.signed_in:
            member = await self._actions.member(MemberId(session.member_id))
        if session is not None and member is not None:
            return session, member
        if posting:
            return self._refused(request, None)
        response = self._redirect(f"{PREFIX}/login")
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    def _translator(self, request: Request) -> tuple[Translator, str | None]:
        asked = request.query_params.get("lang")
        if asked in self._translators:
            return self._translators[asked], asked
        kept = request.cookies.get(LANG_COOKIE)
        return self._translators.get(kept or "", self._translators[self._default]), None

    def _page(self, request: Request, session: Session | None, template: str, *,
              status: int = 200, **values: object) -> Response:
        t, asked = self._translator(request)
        member = values.pop("member", None)
        text = self._pages.render(
            template, t, self._clock(), csrf=self._signer.csrf(session) if session else "",
            me=display_name(member) if isinstance(member, StaffMember) else None,
            member=member, prefix=PREFIX, path=request.url.path, **values)
        response = HTMLResponse(text, status_code=status, headers=HEADERS)
        if asked is not None:
            response.set_cookie(LANG_COOKIE, asked, max_age=365 * 86400, path=PREFIX,
                                httponly=True, samesite="lax")
        if session is not None:
            self._keep(response, request, session)
        return response

    def _refused(self, request: Request, session: Session | None) -> Response:
        return self._page(request, session, "error.html", status=403, member=None,
                          message=N_("console.forbidden"))

    def _redirect(self, to: str, request: Request | None = None,
                  session: Session | None = None) -> Response:
        response = RedirectResponse(to, status_code=303, headers={"Cache-Control": "no-store"})
        if request is not None and session is not None:
            self._keep(response, request, session, force=True)
        return response

    def _keep(self, response: Response, request: Request, session: Session, *,
              force: bool = False) -> None:
        """The session's cookie, set again when it is new or its last request is a while
        ago (which keeps an active session from expiring)."""
        now = self._now()
        if (not force and self._signer.load(request.cookies.get(COOKIE), now) == session
                and now - session.seen < REFRESH):
            return
        response.set_cookie(
            COOKIE, self._signer.dump(self._signer.seen(session, now)), max_age=IDLE,
            path=PREFIX, httponly=True, samesite="lax",
            secure=self._secure or request.url.scheme == "https")


def _code(result: object) -> str:
    """The code of ``DONE`` that says what came of an action."""
    match result:
        case r.Claimed():
            return "claimed"
        case r.AlreadyHeld():
            return "held"
        case r.NeedsText():
            return "needs_text"
        case r.Answered():
            return "answered"
        case r.UserGone():
            return "user_gone"
        case r.Noted():
            return "noted"
        case r.Unclaimed():
            return "unclaimed"
        case r.NotClaimed():
            return "not_claimed"
        case r.NeedsOutcome():
            return "needs_outcome"
        case r.Closed():
            return "closed"
    return "not_open"
