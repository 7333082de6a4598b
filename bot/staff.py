"""The staff side of referrals: the staff chat hears of every new referral; staff claim it, write
to the young person, note and close it; the young person's words go back to the staff chat.

Staff work in one Telegram group (``TELEGRAM_STAFF_CHAT_ID``); only the accounts listed in
``TELEGRAM_STAFF_USER_IDS`` may act there. Everything said to staff or to the young person goes
through the outbox in the same transaction as the change that caused it, so nothing is lost and
the young person hears it on their own channel (Telegram or WhatsApp). A staff member answers by
replying to any of the bot's messages about a referral: each is stored with its referral.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import N_, Translator
from bot.messages import Choice, Outbound
from bot.storage.models import Referral, User, utcnow
from bot.storage.unit_of_work import UnitOfWork
from referrals import lifecycle
from referrals.lifecycle import IllegalTransition
from referrals.queue import ReferralNotFound, ReferralQueue

log = logging.getLogger("youthbot.staff")

STAFF_CHANNEL = "telegram"
CLAIM_CHOICE = "staff:claim:"
FEEDBACK_CHOICE = "feedback:"
WITH_STAFF = "staff"
"""The conversation-state key holding the referral a person is handling for this user."""
_PRIORITY_LABELS = {"urgent": N_("staff.priority.urgent"), "high": N_("staff.priority.high"),
                    "normal": N_("staff.priority.normal")}


@dataclass(frozen=True)
class StaffChat:
    """Where staff are and who they are."""

    address: str
    staff_ids: frozenset[str]


@dataclass(frozen=True)
class ClaimAnswer:
    """What the one who pressed Claim is shown; ``fresh`` when this press made the claim."""

    text: str
    won: bool = False
    fresh: bool = False


class StaffDesk:
    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], translators: dict[str, Translator],
        locale: str, chat: StaffChat | None, min_age: int = 15,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._uow = unit_of_work
        self.min_age = min_age
        """Younger people get the content and a note, not a referral."""
        self._translators = translators
        self.t = translators[locale]
        self.chat = chat
        self._clock = clock

    def is_staff(self, staff_id: str) -> bool:
        return self.chat is not None and staff_id in self.chat.staff_ids

    # The young person's side, inside their turn's transaction.

    def new_referral(self, uow: UnitOfWork, referral: Referral) -> None:
        """The card in the staff chat, with a button to claim it."""
        self._to_staff(uow, referral.id, self._card(referral),
                       (Choice(f"{CLAIM_CHOICE}{referral.id}", self.t("staff.claim")),))

    async def from_user(self, uow: UnitOfWork, referral_id: int, text: str | None) -> None:
        """What the young person wrote while a person handles their request (None: they sent
        a photo, a voice note or the like, which the bot does not pass on)."""
        referral = await uow.referrals.get(referral_id)
        said = (self.t("staff.from_user", id=referral_id, text=text) if text is not None
                else self.t("staff.from_user_media", id=referral_id))
        self._to_staff(uow, referral_id, said,
                       thread=referral.staff_thread if referral else None)

    def withdrawn(self, uow: UnitOfWork, referral: Referral) -> None:
        """The young person deleted their data: staff stop working on it."""
        self._to_staff(uow, referral.id, self.t("staff.withdrawn", id=referral.id),
                       thread=referral.staff_thread)

    async def answer_waits(self, channel: str, address: str, *, nudged: bool) -> None:
        """A reply to this young person must wait until they write (WhatsApp's 24-hour
        window closed): if a person has their request, tell them why, and whether the young
        person got a notice that an answer is waiting."""
        if self.chat is None:
            return
        async with self._uow() as uow:
            user = await uow.users.get(channel, address)
            referral = await uow.referrals.open_for_user(user.id) if user else None
            if referral is None or referral.status == lifecycle.Status.NEW:
                return
            key = N_("staff.answer_waits") if nudged else N_("staff.answer_waits_unannounced")
            self._to_staff(uow, referral.id, self.t(key, id=referral.id),
                           thread=referral.staff_thread)
            await uow.commit()

    # Staff actions, each in its own transaction. ``staff_id`` is the platform's account id.

    async def claim(
        self, staff_id: str, referral_id: int, name: str | None = None
    ) -> ClaimAnswer:
        """Press Claim: the winner gets the referral and the young person is told; the answer
        (shown to whoever pressed) says who has it. ``name`` is how the staff chat knows the
        one who pressed; the referral keeps their account id."""
        if not self.is_staff(staff_id):
            return ClaimAnswer(self._refuse("claim", referral_id))
        won = ClaimAnswer(self.t("staff.claim.won", id=referral_id, staff=name or staff_id),
                          won=True)
        async with self._uow() as uow:
            before = await uow.referrals.get_locked(referral_id)
            if before is not None and before.claimed_by == staff_id:
                return won  # pressed twice: theirs already, nothing new to say
            try:
                result = await ReferralQueue(uow.referrals, self._clock).claim(referral_id,
                                                                                staff_id)
            except ReferralNotFound:
                return ClaimAnswer(self.t("staff.unknown", id=referral_id))
            if not result.won:
                return ClaimAnswer(self.t("staff.claim.lost", id=referral_id,
                                          holder=result.holder or "-"))
            user = await self._user_locked(uow, result.referral)
            if user is not None:
                await self._set_with_staff(uow, user, referral_id)
                t = self._user_t(user)
                self._to_user(uow, user, Outbound(t("handoff.claimed")))
            self._to_staff(uow, referral_id, won.text)
            await uow.commit()
        return ClaimAnswer(won.text, won=True, fresh=True)

    async def answer(
        self, staff_id: str, referral_id: int, text: str, thread: str | None = None
    ) -> None:
        """A staff member's words, to the young person on their own channel. (``thread``:
        where in the staff chat they wrote, for what the bot has to say back.)"""
        if not self.is_staff(staff_id):
            self._refuse("answer", referral_id)
            return
        async with self._uow() as uow:
            queue = ReferralQueue(uow.referrals, self._clock)
            try:
                referral = await queue.record_answer(referral_id, staff_id)
                if referral.status == lifecycle.Status.CLAIMED:
                    await queue.mark_contacted(referral_id, staff_id)
            except (ReferralNotFound, IllegalTransition):
                await self._tell_staff(uow, self.t("staff.not_open", id=referral_id), thread)
                return
            user = await self._user_locked(uow, referral)
            if user is None:
                await self._tell_staff(uow, self.t("staff.user_gone", id=referral_id), thread)
                return
            t = self._user_t(user)
            self._to_user(uow, user, Outbound(t("handoff.staff_says", text=text)))
            await uow.commit()

    async def close(
        self, staff_id: str, referral_id: int, outcome: str, partner: str | None = None,
        thread: str | None = None,
    ) -> None:
        """Close with an outcome: the young person is told, asked whether it helped, and the
        bot takes over again."""
        if not self.is_staff(staff_id):
            self._refuse("close", referral_id)
            return
        async with self._uow() as uow:
            if outcome not in set(lifecycle.Outcome):
                await self._tell_staff(uow, self.t("staff.close.usage",
                                                    outcomes=", ".join(lifecycle.Outcome)),
                                       thread)
                return
            try:
                referral = await ReferralQueue(uow.referrals, self._clock).close(
                    referral_id, staff_id, outcome, partner)
            except (ReferralNotFound, IllegalTransition):
                await self._tell_staff(uow, self.t("staff.not_open", id=referral_id), thread)
                return
            user = await self._user_locked(uow, referral)
            if user is not None:
                state = await uow.states.for_user(user)
                state.data = {k: v for k, v in state.data.items() if k != WITH_STAFF}
                t = self._user_t(user)
                choices = (Choice(f"{FEEDBACK_CHOICE}yes", t("feedback.yes")),
                           Choice(f"{FEEDBACK_CHOICE}no", t("feedback.no")))
                state.offered = [[c.id, c.label] for c in choices]
                self._to_user(uow, user, Outbound(t("handoff.closed"), choices))
            self._to_staff(uow, referral_id, self.t("staff.closed", id=referral_id,
                                                  outcome=referral.outcome or ""),
                           thread=referral.staff_thread)
            await uow.commit()

    async def note(
        self, staff_id: str, referral_id: int, text: str, thread: str | None = None
    ) -> None:
        if not self.is_staff(staff_id):
            self._refuse("note", referral_id)
            return
        async with self._uow() as uow:
            try:
                await ReferralQueue(uow.referrals, self._clock).note(referral_id, staff_id, text)
            except (ReferralNotFound, IllegalTransition, ValueError):
                await self._tell_staff(uow, self.t("staff.not_open", id=referral_id), thread)
                return
            await self._tell_staff(uow, self.t("staff.noted", id=referral_id), thread)

    async def queue(self, staff_id: str, thread: str | None = None) -> None:
        """The open referrals, most pressing first, in the staff chat."""
        if not self.is_staff(staff_id):
            self._refuse("queue", None)
            return
        async with self._uow() as uow:
            open_ones = [r for r in await uow.referrals.listing() if r.status in lifecycle.OPEN]
            order = {level.value: rank for rank, level in enumerate(lifecycle.PRIORITY_ORDER)}
            open_ones.sort(key=lambda r: (order.get(r.priority, 9), r.created_at))
            lines = [self.t("staff.queue.line", id=r.id, priority=self._priority(r.priority),
                             topic=r.topic, status=r.status, holder=r.claimed_by or "-")
                     for r in open_ones]
            await self._tell_staff(uow, "\n".join(lines) or self.t("staff.queue.empty"), thread)

    async def realert(self) -> int:
        """Alert staff again about referrals nobody claimed in time; returns how many."""
        if self.chat is None:
            return 0
        async with self._uow() as uow:
            queue = ReferralQueue(uow.referrals, self._clock)
            due = await queue.due_for_realert()
            for referral in due:
                await queue.mark_alerted(referral.id)
                self._to_staff(uow, referral.id,
                               self.t("staff.realert", id=referral.id) + "\n\n"
                               + self._card(referral),
                               (Choice(f"{CLAIM_CHOICE}{referral.id}", self.t("staff.claim")),))
            await uow.commit()
        return len(due)

    async def referral_of(self, message_id: str) -> int | None:
        """The referral a message in the staff chat was about (for a staff reply to it)."""
        if self.chat is None:
            return None
        async with self._uow() as uow:
            return await uow.outbox.referral_of_message(STAFF_CHANNEL, self.chat.address,
                                                        message_id)

    async def referral_of_thread(self, thread: str) -> int | None:
        """The referral whose forum topic this is."""
        async with self._uow() as uow:
            referral = await uow.referrals.by_staff_thread(thread)
            return referral.id if referral else None

    async def open_thread(self, referral_id: int, thread: str, staff_name: str) -> None:
        """The claimed referral's own forum topic: everything about it goes there now."""
        async with self._uow() as uow:
            referral = await uow.referrals.get_locked(referral_id)
            if referral is None:
                return
            referral.staff_thread = thread
            self._to_staff(uow, referral_id, "\n\n".join((
                self.t("staff.thread_opened", id=referral_id, staff=staff_name),
                self._card(referral))), thread=thread)
            await uow.commit()

    async def refuse_reply(self) -> None:
        """A reply in the staff chat that names no referral: say how to answer."""
        async with self._uow() as uow:
            await self._tell_staff(uow, self.t("staff.reply_to_a_card"))

    # Helpers.

    def _card(self, referral: Referral) -> str:
        dash = "-"
        return self.t(
            "staff.card", id=referral.id, priority=self._priority(referral.priority),
            topic=referral.topic, channel=referral.channel,
            municipality=referral.municipality or dash, age=referral.age_band or dash,
            gender=referral.gender or dash, contact=referral.contact or dash,
            summary=referral.summary or dash,
        )

    def _priority(self, priority: str) -> str:
        return self.t(_PRIORITY_LABELS.get(priority, _PRIORITY_LABELS["normal"]))

    def _user_t(self, user: User) -> Translator:
        return self._translators.get(user.locale, self.t)

    def _refuse(self, action: str, referral_id: int | None) -> str:
        log.warning("staff action refused", extra={"fields": {"action": action,
                                                              "referral": referral_id}})
        return self.t("staff.not_staff")

    async def _user_locked(self, uow: UnitOfWork, referral: Referral) -> User | None:
        if referral.user_id is None:
            return None
        return await uow.users.by_id_locked(referral.user_id)

    async def _set_with_staff(self, uow: UnitOfWork, user: User, referral_id: int) -> None:
        state = await uow.states.for_user(user)
        state.data = {**state.data, WITH_STAFF: referral_id}

    def _to_user(self, uow: UnitOfWork, user: User, reply: Outbound) -> None:
        uow.outbox.put(user.channel, user.address, user, reply, kind="staff")

    def _to_staff(
        self, uow: UnitOfWork, referral_id: int, text: str, choices: tuple[Choice, ...] = (),
        thread: str | None = None,
    ) -> None:
        """A message about a referral in the staff chat, or in its forum topic (a reply to it
        answers that referral)."""
        if self.chat is not None:
            uow.outbox.put(STAFF_CHANNEL, self.chat.address, None,
                           Outbound(text, choices, thread), referral_id=referral_id, kind="staff")

    async def _tell_staff(self, uow: UnitOfWork, text: str, thread: str | None = None) -> None:
        """What the bot says back to a staff action, where it was done; then commit."""
        if self.chat is not None:
            uow.outbox.put(STAFF_CHANNEL, self.chat.address, None, Outbound(text, (), thread))
        await uow.commit()
