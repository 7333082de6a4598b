"""Staff actions: claim, unclaim, reassign, answer, note, close, and the open queue.

Each runs in a transaction of its own, checks the member's rights (``permissions``), makes the
move through ``referrals.queue``, writes what the young person and the staff chat are to hear
(``relay``, ``notices``) in the same transaction, and returns a typed result (``results``) that
the caller renders; nothing here knows Telegram. An action is done by a staff member, or by
someone to resolve to one (``accounts.Actor``, e.g. a Telegram user in the staff group).
"""

import logging
from collections.abc import Callable
from datetime import datetime

from bot.staff import results as r
from bot.staff.accounts import Actor, display_name, resolve
from bot.staff.notices import Notices
from bot.staff.permissions import Permission, may, partner_scope, role_of, sees_personal
from bot.staff.permissions import Role as StaffRole
from bot.staff.relay import Relay
from bot.storage.models import StaffMember
from bot.storage.unit_of_work import UnitOfWork
from referrals import lifecycle
from referrals.lifecycle import Action, IllegalTransition, Status
from referrals.queue import ReferralQueue
from referrals.store import ReferralRecord

log = logging.getLogger("youthbot.staff")
OUTCOMES = tuple(outcome.value for outcome in lifecycle.Outcome)
_CASE_ACTIONS = (Action.CLAIM, Action.ANSWER, Action.NOTE, Action.UNCLAIM, Action.CLOSE)
"""What a case page offers, each where the member's role and the referral's status allow it."""


class StaffActions:
    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], notices: Notices, relay: Relay,
        clock: Callable[[], datetime], listed: frozenset[int] = frozenset(),
    ) -> None:
        self._uow = unit_of_work
        self._notices = notices
        self._relay = relay
        self._clock = clock
        self._listed = listed
        """Telegram ids the settings list as staff (made caseworkers when they first act)."""

    async def member(self, actor: Actor) -> StaffMember | None:
        """The active member ``actor`` is (None: not staff)."""
        async with self._uow() as uow:
            member = await resolve(uow, actor, self._listed)
            await uow.commit()
            return member

    async def claim(self, actor: Actor, referral_id: int) -> r.ClaimResult:
        """The first to claim gets the referral and the young person is told; anyone after
        learns who has it."""
        async with self._uow() as uow:
            found = await self._referral(uow, actor, referral_id, Permission.CLAIM)
            if not isinstance(found, tuple):
                return found
            member, referral = found
            name = display_name(member)
            if referral.status in lifecycle.HELD and referral.claimed_by_id == member.id:
                await uow.commit()
                return r.Claimed(referral_id, name, fresh=False, thread=referral.staff_thread)
            result = await self._queue(uow).claim(referral_id, member.id)
            if not result.won:
                if result.holder is None:
                    return r.NotOpen(referral_id, referral.status)
                holder = await uow.staff.get(result.holder)
                return r.AlreadyHeld(referral_id, display_name(holder) if holder else "-")
            await self._relay.claimed(uow, referral)
            self._notices.claimed(uow, referral, name)
            await uow.commit()
            return r.Claimed(referral_id, name, fresh=True, thread=referral.staff_thread)

    async def unclaim(self, actor: Actor, referral_id: int) -> r.UnclaimResult:
        """Give the referral back to the queue; only staff are told (a fresh card to claim)."""
        async with self._uow() as uow:
            found = await self._referral(uow, actor, referral_id, Permission.UNCLAIM)
            if not isinstance(found, tuple):
                return found
            member, referral = found
            if referral.status == Status.NEW:
                return r.NotClaimed(referral_id)
            try:
                await self._queue(uow).unclaim(referral_id, member.id)
            except IllegalTransition:
                return r.NotOpen(referral_id, referral.status)
            self._notices.unclaimed(uow, referral, display_name(member))
            await uow.commit()
            return r.Unclaimed(referral_id)

    async def reassign(self, actor: Actor, referral_id: int, to: str) -> r.ReassignResult:
        """Hand the referral to the member with that display name or e-mail; to a partner's
        worker, it is routed to their organisation. Only staff are told."""
        async with self._uow() as uow:
            found = await self._referral(uow, actor, referral_id, Permission.REASSIGN)
            if not isinstance(found, tuple):
                return found
            member, referral = found
            if not lifecycle.allowed(referral.status, Action.REASSIGN):
                return r.NotOpen(referral_id, referral.status)
            named = [m for m in await uow.staff.named(to) if may(m, Permission.CLAIM)]
            if len(named) != 1:
                return r.NoSuchMember(to, several=len(named) > 1)
            [target] = named
            partner = target.partner if role_of(target) is StaffRole.PARTNER else None
            was_new = referral.status == Status.NEW
            await self._queue(uow).reassign(referral_id, member.id, target.id, partner)
            if was_new:
                await self._relay.claimed(uow, referral)
            self._notices.reassigned(uow, referral, display_name(target), display_name(member))
            await uow.commit()
            return r.Reassigned(referral_id, display_name(target))

    async def answer(self, actor: Actor, referral_id: int, text: str) -> r.AnswerResult:
        """A staff member's words, to the young person on their own channel."""
        async with self._uow() as uow:
            found = await self._referral(uow, actor, referral_id, Permission.ANSWER)
            if not isinstance(found, tuple):
                return found
            member, referral = found
            if not text.strip():
                return r.NeedsText(referral_id)
            queue = self._queue(uow)
            try:
                await queue.record_answer(referral_id, member.id)
                if referral.status == Status.CLAIMED:
                    await queue.mark_contacted(referral_id, member.id)
            except IllegalTransition:
                return r.NotOpen(referral_id, referral.status)
            if not await self._relay.staff_says(uow, referral, text):
                return r.UserGone(referral_id)
            await uow.commit()
            return r.Answered(referral_id)

    async def note(self, actor: Actor, referral_id: int, text: str) -> r.NoteResult:
        """A note for colleagues (erased if the young person deletes their data)."""
        async with self._uow() as uow:
            found = await self._referral(uow, actor, referral_id, Permission.NOTE)
            if not isinstance(found, tuple):
                return found
            member, referral = found
            if not text.strip():
                return r.NeedsText(referral_id)
            try:
                await self._queue(uow).note(referral_id, member.id, text)
            except IllegalTransition:
                return r.NotOpen(referral_id, referral.status)
            await uow.commit()
            return r.Noted(referral_id)

    async def close(
        self, actor: Actor, referral_id: int, outcome: str | None, partner: str | None = None,
    ) -> r.CloseResult:
        """Close with an outcome (none or an unknown one: the outcomes to choose from)."""
        async with self._uow() as uow:
            found = await self._referral(uow, actor, referral_id, Permission.CLOSE)
            if not isinstance(found, tuple):
                return found
            member, referral = found
            if not lifecycle.allowed(referral.status, Action.CLOSE):
                return r.NotOpen(referral_id, referral.status)
            if outcome not in OUTCOMES:
                return r.NeedsOutcome(referral_id, OUTCOMES, outcome or None)
            assert outcome is not None
            await self._queue(uow).close(referral_id, member.id, outcome, partner)
            await self._relay.closed(uow, referral)
            self._notices.closed(uow, referral, display_name(member))
            await uow.commit()
            return r.Closed(referral_id, outcome, referral.partner)

    async def queue(self, actor: Actor) -> r.QueueResult:
        """Every open referral the member may see, most pressing first, then oldest."""
        async with self._uow() as uow:
            member = await resolve(uow, actor, self._listed)
            if member is None or not may(member, Permission.LIST_QUEUE):
                return self._refused(Permission.LIST_QUEUE, None, member)
            found = await self._queue(uow).open_in_order(partner_scope(member))
            holders = await uow.staff.by_ids({f.claimed_by_id for f in found
                                              if f.claimed_by_id is not None})
            contact = sees_personal(member)
            items = tuple(
                r.QueueItem(f.id, f.priority, f.topic, f.status,
                            display_name(holders[f.claimed_by_id])
                            if f.claimed_by_id in holders else None,
                            f.created_at, f.contact if contact else None,
                            f.opportunity_title, f.municipality, f.channel, f.claimed_by_id)
                for f in found)
            await uow.commit()
            return r.Queue(items)

    async def case(self, actor: Actor, referral_id: int) -> r.CaseResult:
        """One referral as the member may see it, with its audit trail and what they may do."""
        async with self._uow() as uow:
            member = await resolve(uow, actor, self._listed)
            if member is None or not may(member, Permission.LIST_QUEUE):
                return self._refused(Permission.LIST_QUEUE, referral_id, member)
            referral = await uow.referrals.get(referral_id)
            if referral is None:
                return r.NotFound(referral_id)
            if not may(member, Permission.LIST_QUEUE, referral):
                return self._refused(Permission.LIST_QUEUE, referral_id, member)
            events = await uow.referrals.events(referral_id)
            names = await uow.staff.by_ids(
                {e.staff_member_id for e in events if e.staff_member_id is not None}
                | ({referral.claimed_by_id} if referral.claimed_by_id is not None else set()))
            personal = sees_personal(member, referral)
            actions = frozenset(
                action.value for action in _CASE_ACTIONS
                if may(member, Permission(action.value), referral)
                and lifecycle.allowed(referral.status, action))
            holder = names.get(referral.claimed_by_id) if referral.claimed_by_id else None
            await uow.commit()
            return r.Case(
                referral.id, referral.priority, referral.topic, referral.status,
                referral.channel, referral.created_at,
                display_name(holder) if holder is not None else None, referral.claimed_by_id,
                referral.municipality, referral.age_band, referral.gender,
                referral.contact if personal else None, referral.summary if personal else None,
                tuple((str(k), str(v)) for k, v in (referral.answers or {}).items())
                if personal else (),
                referral.opportunity_title, referral.outcome, referral.partner,
                tuple(r.CaseEvent(e.kind, display_name(names[e.staff_member_id])
                                  if e.staff_member_id in names else None,
                                  e.detail, e.note, e.created_at) for e in events),
                actions)

    def _queue(self, uow: UnitOfWork) -> ReferralQueue:
        return ReferralQueue(uow.referrals, self._clock)

    async def _referral(
        self, uow: UnitOfWork, actor: Actor, referral_id: int, permission: Permission,
    ) -> tuple[StaffMember, ReferralRecord] | r.NotAllowed | r.NotFound:
        """The acting member and the referral, locked; or why the action stops here."""
        member = await resolve(uow, actor, self._listed)
        if member is None or not may(member, permission):
            return self._refused(permission, referral_id, member)
        referral = await uow.referrals.get_locked(referral_id)
        if referral is None:
            return r.NotFound(referral_id)
        if not may(member, permission, referral):
            return self._refused(permission, referral_id, member)
        return member, referral

    def _refused(
        self, permission: Permission, referral_id: int | None, member: StaffMember | None,
    ) -> r.NotAllowed:
        log.warning("staff action refused", extra={"fields": {
            "action": permission.value, "referral": referral_id,
            "member": member.id if member is not None else None}})
        return r.NotAllowed(member is not None)
