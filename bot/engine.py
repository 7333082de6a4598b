"""The channel-agnostic core: one inbound message in, its replies out, exactly once.

``Engine.handle`` dedupes the delivery, locks the user (an asyncio lock in this process and the
user's row in PostgreSQL, so several processes behave like one), loads their state, routes the
message to a handler, records the turn and writes the replies to the outbox, all in one
transaction. The channel's sender delivers the outbox.
"""

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bot import flows, routing
from bot.content import ContentStore
from bot.handlers import HANDLERS
from bot.i18n import Translator
from bot.locks import KeyedLocks
from bot.messages import Inbound, Outbound
from bot.routes import RouteName
from bot.staff import StaffDesk
from bot.storage.models import utcnow
from bot.storage.unit_of_work import UnitOfWork
from bot.turn import Situation, Turn
from nlu.base import Understander
from nlu.normalize import strip_invisible
from opportunities.current import CurrentOpportunities

log = logging.getLogger("youthbot.turn")

SEEN_WITHIN = timedelta(seconds=60)
"""``last_seen_at`` is rewritten only when older than this, not at every message of a burst (an
UPDATE a turn saved). Who reads it errs on the safe side: WhatsApp's window looks up to a minute
shorter than it is, and days of inactivity are days."""
MAX_TEXT = 4096
"""Longer messages are cut to this before anything else sees them (no platform sends more)."""


class Engine:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        content: ContentStore,
        translators: dict[str, Translator],
        default_locale: str,
        nlu: Understander,
        staff: StaffDesk,
        log_salt: bytes = b"",
        may_hold: Callable[[str], bool] = lambda _channel: True,
        profile_question: bool = False,
    ) -> None:
        """``may_hold(channel)`` is False for a channel whose replies are never held (no
        window): its turns skip looking for held replies to release. ``profile_question``: the
        optional profile question is asked once after a first helpful answer."""
        self._uow = unit_of_work
        self._nlu = nlu
        self._content = content
        self._translators = translators
        self._default_locale = default_locale
        self._log_salt = log_salt
        self._staff = staff
        self._may_hold = may_hold
        self._profile_question = profile_question
        self._locks = KeyedLocks()
        self._opportunities = CurrentOpportunities()

    async def handle(self, inbound: Inbound) -> list[Outbound]:
        """Answer one message; a redelivered one (same delivery id) gets nothing the second time."""
        started = time.perf_counter()
        inbound = _sanitised(inbound)
        async with self._locks.hold(inbound.user_key):
            try:
                route, replies = await self._turn(inbound)
            except Exception:
                log.exception("turn failed", extra={"fields": self._fields(inbound)})
                route, replies = "error", await self._apologise(inbound)
        if log.isEnabledFor(logging.INFO):  # the pseudonym's HMAC only for a line written
            fields = self._fields(inbound)
            fields.update(route=route, replies=len(replies),
                          latency_ms=round((time.perf_counter() - started) * 1000, 1))
            log.info("turn", extra={"fields": fields})
        return replies

    async def _turn(self, inbound: Inbound) -> tuple[str, list[Outbound]]:
        """The turn's replies, with the name of its route (for the log)."""
        async with self._uow() as uow:
            if inbound.delivery_id is not None and not await uow.deliveries.claim(
                inbound.channel, inbound.delivery_id
            ):
                return "duplicate", []
            locale = inbound.locale or self._default_locale
            user, created = await uow.users.get_or_create_locked(
                inbound.channel, inbound.address, locale
            )
            if inbound.campaign:
                campaign = await uow.campaigns.by_code(inbound.campaign)
                uow.campaigns.record("started", inbound.campaign, campaign, inbound.channel)
                if created and campaign is not None:
                    user.first_campaign_id = campaign.id
            if inbound.locale in self._translators:
                user.locale = inbound.locale
            state = await uow.states.for_user(user)
            decision = await routing.route(
                Situation(inbound, state, created, self._content, frozenset(self._translators)),
                self._nlu,
            )
            flows.clear_pending(state)  # a pending question is answered now or lapses
            turn = Turn(
                inbound=inbound, route=decision.route, parse=decision.parse, user=user,
                state=state, is_new_user=created, content=self._content,
                translators=self._translators, uow=uow, now=utcnow(), staff=self._staff,
                released=(await uow.outbox.release(inbound.channel, inbound.address)
                          if self._may_hold(inbound.channel) else 0),
                opportunities=self._opportunities, profile_question=self._profile_question,
            )
            if user.unsubscribed_at is not None and turn.route.name is not RouteName.UNSUBSCRIBE:
                user.unsubscribed_at = None
            user.unreachable_at = None  # they wrote: they can be reached again
            replies = await HANDLERS[turn.route.name](turn)
            if not turn.erased:
                self._record(turn, replies)
            for reply in replies:
                uow.outbox.put(inbound.channel, inbound.address, None if turn.erased else user, reply)
            await uow.commit()
            return str(turn.route.name), replies

    @staticmethod
    def _record(turn: Turn, replies: list[Outbound]) -> None:
        user, inbound, route = turn.user, turn.inbound, str(turn.route.name)
        if turn.now - user.last_seen_at >= SEEN_WITHIN:
            user.last_seen_at = turn.now
        turn.uow.messages.record(user, "in", inbound.text, choice_id=inbound.choice_id, route=route)
        for reply in replies:
            turn.uow.messages.record(user, "out", reply.text, route=route)
        shown = [reply.choices for reply in replies if reply.choices]
        if shown:
            turn.state.offered = [[choice.id, choice.label] for choice in shown[-1]]

    async def _apologise(self, inbound: Inbound) -> list[Outbound]:
        """After a failed turn: tell the user, and mark the delivery done so it is not re-run.

        If even this fails (the database is down), the error propagates to the channel, which
        answers the platform with an error so that it redelivers later.
        """
        async with self._uow() as uow:
            if inbound.delivery_id is not None:
                await uow.deliveries.claim(inbound.channel, inbound.delivery_id)
            user = await uow.users.get_locked(inbound.channel, inbound.address)
            locale = user.locale if user else self._default_locale
            t = self._translators[locale]
            reply = Outbound(t("error.generic"))
            uow.outbox.put(inbound.channel, inbound.address, user, reply)
            await uow.commit()
        return [reply]

    def _fields(self, inbound: Inbound) -> dict[str, object]:
        return {"channel": inbound.channel, "user": self._user_hash(inbound)}

    def _user_hash(self, inbound: Inbound) -> str:
        """A stable pseudonym for logs: joins one user's lines, reveals no address."""
        key = f"{inbound.channel}:{inbound.address}".encode()
        return hmac.new(self._log_salt, key, hashlib.sha256).hexdigest()[:12]


def _sanitised(inbound: Inbound) -> Inbound:
    """No NUL or control characters (PostgreSQL refuses NUL), no more than ``MAX_TEXT``."""
    text = strip_invisible(inbound.text[: MAX_TEXT * 2])[:MAX_TEXT]
    if text == inbound.text:
        return inbound
    return replace(inbound, text=text)


