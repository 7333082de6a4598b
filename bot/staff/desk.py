"""The staff side as the rest of the bot sees it: one object, built by bootstrap.

Handlers (through ``turn.staff``) use the young person's side: ``new_referral``, ``from_user``,
``withdrawn``, ``answer_waits``, ``chat``, ``min_age``, ``partner_for``. Staff interfaces use ``actions`` (typed
results, rendered by each interface), the timers, and for the Telegram group the look-ups of
which referral a message or forum topic is about.
"""

from collections.abc import Callable, Mapping
from datetime import datetime

from bot.i18n import Translator
from bot.messages import Outbound
from bot.staff.actions import StaffActions
from bot.staff.notices import STAFF_CHANNEL, Notices, StaffChat
from bot.staff.relay import Relay
from bot.staff.timers import Timers
from bot.storage.models import utcnow
from bot.storage.unit_of_work import UnitOfWork
from referrals.store import ReferralRecord


class StaffDesk:
    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], translators: dict[str, Translator],
        locale: str, chat: StaffChat | None, min_age: int = 15,
        clock: Callable[[], datetime] = utcnow, partners: Mapping[str, str] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._partners = dict(partners or {})
        """The partner organisation that takes each topic that has one (``REFERRAL_PARTNERS``)."""
        self.min_age = min_age
        """Younger people get the content and a note, not a referral."""
        self.t = translators[locale]
        self.chat = chat
        self.notices = Notices(self.t, chat)
        self._relay = Relay(unit_of_work, translators, self.t, self.notices)
        self.actions = StaffActions(unit_of_work, self.notices, self._relay, clock,
                                    chat.listed if chat is not None else frozenset())
        self._timers = Timers(unit_of_work, self.notices, clock)

    # The young person's side, inside their turn's transaction.

    def partner_for(self, topic: str) -> str | None:
        """The partner organisation a referral about ``topic`` goes to, if one takes it."""
        return self._partners.get(topic)

    def new_referral(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        self._relay.new_referral(uow, referral)

    async def from_user(self, uow: UnitOfWork, referral_id: int, text: str | None) -> None:
        await self._relay.from_user(uow, referral_id, text)

    def withdrawn(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        self._relay.withdrawn(uow, referral)

    async def answer_waits(self, channel: str, address: str, *, nudged: bool) -> None:
        await self._relay.answer_waits(channel, address, nudged=nudged)

    # Periodic work.

    async def realert(self) -> int:
        return await self._timers.realert()

    async def remind(self) -> int:
        return await self._timers.remind()

    # For the staff chat.

    async def tell(self, reply: Outbound) -> None:
        """A message to the staff chat (e.g. the answer to a command), in its own transaction."""
        async with self._uow() as uow:
            self.notices.say(uow, reply.text, thread=reply.thread, choices=reply.choices)
            await uow.commit()

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

    async def open_thread(self, referral_id: int, thread: str, holder: str) -> None:
        """The claimed referral's own forum topic: everything about it goes there now."""
        async with self._uow() as uow:
            referral = await uow.referrals.get_locked(referral_id)
            if referral is None:
                return
            referral.staff_thread = thread
            self.notices.thread_opened(uow, referral, holder)
            await uow.commit()
