"""The case page in full and the queue with its partner filter, on top of :mod:`.console`.

The case page adds to what ``StaffActions.case`` gives: the conversation between staff and the
young person about this referral (only to those who see personal words), WhatsApp's window,
a form to hand the referral to another member (supervisors and admins), and the partner
organisation to close it with. The queue adds, for those who may reassign, a filter by the
partner organisation referrals are routed to. These routes come before the console's own, so
they answer the same addresses; every action still goes through ``StaffActions``.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.i18n import N_
from bot.staff import results as r
from bot.staff.accounts import MemberId
from bot.staff.actions import OUTCOMES, StaffActions
from bot.staff.labels import LABELS
from bot.staff.permissions import Permission, may, sees_personal
from bot.storage.models import StaffMember
from bot.storage.unit_of_work import UnitOfWork
from bot.web import casefile
from bot.web.console import DONE, PREFIX, Console, _code
from bot.web.forms import plain_form
from bot.web.sessions import Session
from referrals import lifecycle
from referrals.lifecycle import Action
from referrals.queue import ReferralQueue

MORE_DONE = {
    "reassigned": N_("console.done.reassigned"),
    "no_member": N_("console.done.no_member"),
    "no_partner": N_("console.done.no_partner"),
}
"""What the case page says after this module's actions, by the code its redirect carries."""


class Casework:
    def __init__(self, console: Console, actions: StaffActions,
                 unit_of_work: Callable[[], UnitOfWork], clock: Callable[[], datetime]) -> None:
        self._console = console
        self._actions = actions
        self._uow = unit_of_work
        self._clock = clock

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/", self.queue, methods=["GET"]),
            Route("/referrals/{referral:int}", self.case, methods=["GET"]),
            Route("/referrals/{referral:int}/reassign", self.reassign, methods=["POST"]),
            Route("/referrals/{referral:int}/close", self.close, methods=["POST"]),
        ]

    async def queue(self, request: Request) -> Response:
        c = self._console
        found = await c._member(request)
        if isinstance(found, Response):
            return found
        session, member = found
        wanted = request.query_params
        number = wanted.get("q", "").strip().lstrip("#")
        if number.isdigit():
            return c._redirect(f"{PREFIX}/referrals/{int(number)}", request, session)
        result = await self._actions.queue(MemberId(member.id))
        if not isinstance(result, r.Queue):
            return c._refused(request, session)
        by_partner = may(member, Permission.REASSIGN)
        partner = wanted.get("partner", "") if by_partner else ""
        routed: set[int] | None = None
        async with self._uow() as uow:
            partners = await casefile.partners(uow) if by_partner else ()
            if partner:
                routed = {f.id for f in await ReferralQueue(uow.referrals)
                          .open_in_order(partner)}
        items = [item for item in result.items
                 if (not wanted.get("mine") or item.holder_id == member.id)
                 and (not wanted.get("unclaimed") or item.holder_id is None)
                 and (not wanted.get("urgent") or item.priority == "urgent")
                 and (not wanted.get("topic") or item.topic == wanted.get("topic"))
                 and (routed is None or item.referral_id in routed)]
        return c._page(request, session, "queue.html", member=member, items=items,
                       topics=list(LABELS["topic"]), filters=wanted, partners=partners,
                       poll_ms=c._poll_ms)

    async def case(self, request: Request) -> Response:
        c = self._console
        found = await c._member(request)
        if isinstance(found, Response):
            return found
        session, member = found
        referral_id: int = request.path_params["referral"]
        result = await self._actions.case(MemberId(member.id), referral_id)
        if isinstance(result, r.NotAllowed):
            return c._refused(request, session)
        if isinstance(result, r.NotFound):
            return c._page(request, session, "error.html", status=404, member=member,
                           message=N_("console.not_found"))
        code = request.query_params.get("m", "")
        extra: dict[str, Any] = {
            "case": result, "outcomes": OUTCOMES, "done": DONE.get(code) or MORE_DONE.get(code),
            **await self._extra(member, referral_id)}
        return c._page(request, session, "case.html", member=member, **extra)

    async def _extra(self, member: StaffMember, referral_id: int) -> dict[str, Any]:
        async with self._uow() as uow:
            referral = await uow.referrals.get(referral_id)
            assert referral is not None  # StaffActions.case found it
            personal = sees_personal(member, referral)
            reassigning = (may(member, Permission.REASSIGN, referral)
                           and lifecycle.allowed(referral.status, Action.REASSIGN))
            closing = (may(member, Permission.CLOSE, referral)
                       and lifecycle.allowed(referral.status, Action.CLOSE))
            return {
                "personal": personal,
                "conversation": await casefile.conversation(uow, referral) if personal else (),
                "window": await casefile.window(uow, referral, self._clock()),
                "candidates": await casefile.candidates(uow, referral) if reassigning else (),
                "partners": await casefile.partners(uow) if closing else (),
                "routed_to": referral.partner,
            }

    async def reassign(self, request: Request) -> Response:
        checked = await self._posted(request)
        if isinstance(checked, Response):
            return checked
        session, member, form = checked
        referral_id: int = request.path_params["referral"]
        wanted = form.get("to")
        key = None
        if isinstance(wanted, str) and wanted.isdigit():
            async with self._uow() as uow:
                referral = await uow.referrals.get(referral_id)
                listed = await casefile.candidates(uow, referral) if referral else ()
            key = next((m.key for m in listed if m.member_id == int(wanted)), None)
        result: r.ReassignResult = await self._actions.reassign(
            MemberId(member.id), referral_id, key or "")
        code = ("reassigned" if isinstance(result, r.Reassigned)
                else "no_member" if isinstance(result, r.NoSuchMember) else _code(result))
        return self._answer(request, session, member, referral_id, result, code)

    async def close(self, request: Request) -> Response:
        checked = await self._posted(request)
        if isinstance(checked, Response):
            return checked
        session, member, form = checked
        referral_id: int = request.path_params["referral"]
        outcome, chosen = form.get("outcome"), form.get("partner")
        partner = None
        if isinstance(chosen, str) and chosen:
            async with self._uow() as uow:
                partner = casefile.only_listed(chosen, await casefile.partners(uow))
            if partner is None:
                return self._console._redirect(
                    f"{PREFIX}/referrals/{referral_id}?m=no_partner", request, session)
        result = await self._actions.close(
            MemberId(member.id), referral_id, outcome if isinstance(outcome, str) else None,
            partner)
        return self._answer(request, session, member, referral_id, result, _code(result))

    async def _posted(self, request: Request) -> tuple[Session, StaffMember, FormData] | Response:
        """The signed-in member and the form, its CSRF token checked (else 403)."""
        c = self._console
        found = await c._member(request, posting=True)
        if isinstance(found, Response):
            return found
        session, member = found
        form = await plain_form(request)
        if not c._signer.csrf_ok(session, form.get("csrf")):
            return c._refused(request, session)
        return session, member, form

    def _answer(self, request: Request, session: Session, member: StaffMember,
                referral_id: int, result: object, code: str) -> Response:
        c = self._console
        if isinstance(result, r.NotAllowed):
            return c._refused(request, session)
        if isinstance(result, r.NotFound):
            return c._page(request, session, "error.html", status=404,
                           member=member, message=N_("console.not_found"))
        return c._redirect(f"{PREFIX}/referrals/{referral_id}?m={code}", request,
                           session)
