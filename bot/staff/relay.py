"""Between the young person and staff: what they write goes to the staff chat, what staff
write (and the claim and the closing) goes to them, on their own channel, through the outbox
in the same transaction; and their conversation state says a person has their request."""

from collections.abc import Callable

from bot.i18n import N_, Translator
from bot.messages import Choice, Outbound
from bot.staff.notices import Notices, to_user
from bot.storage.models import User
from bot.storage.unit_of_work import UnitOfWork
from referrals import lifecycle
from referrals.queue import ReferralQueue
from referrals.store import ReferralRecord

FEEDBACK_CHOICE = "feedback:"
WITH_STAFF = "staff"
"""The conversation-state key holding the referral a person is handling for this user."""
STAFF_ANSWER = "staff_answer"
"""The message log's route of a staff member's words to the young person (their own words to
staff have the route ``to_staff``): the case page's conversation, erased with their data."""


class Relay:
    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], translators: dict[str, Translator],
        default: Translator, notices: Notices,
    ) -> None:
        self._uow = unit_of_work
        self._translators = translators
        self._default = default
        self.notices = notices

    # The young person's side, inside their turn's transaction.

    def new_referral(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        """The card in the staff chat, with a button to claim it."""
        self.notices.new_referral(uow, referral)

    async def from_user(self, uow: UnitOfWork, referral_id: int, text: str | None) -> None:
        """What the young person wrote while a person handles their request (None: they sent
        a photo, a voice note or the like, which the bot does not pass on)."""
        t = self.notices.t
        referral = await uow.referrals.get(referral_id)
        said = (t("staff.from_user", id=referral_id, text=text) if text is not None
                else t("staff.from_user_media", id=referral_id))
        self.notices.say(uow, said, referral_id=referral_id,
                         thread=referral.staff_thread if referral else None)

    def withdrawn(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        """The young person deleted their data: staff stop working on it."""
        self.notices.say(uow, self.notices.t("staff.withdrawn", id=referral.id),
                         referral_id=referral.id, thread=referral.staff_thread)

    async def answer_waits(self, channel: str, address: str, *, nudged: bool) -> None:
        """A reply to this young person must wait until they write (WhatsApp's 24-hour
        window closed): if a person has their request, tell them why, and whether the young
        person got a notice that an answer is waiting."""
        if self.notices.chat is None:
            return
        async with self._uow() as uow:
            user = await uow.users.get(channel, address)
            referral = (await ReferralQueue(uow.referrals).open_for_user(user.id)
                        if user else None)
            if referral is None or referral.status == lifecycle.Status.NEW:
                return
            key = N_("staff.answer_waits") if nudged else N_("staff.answer_waits_unannounced")
            self.notices.say(uow, self.notices.t(key, id=referral.id), referral_id=referral.id,
                             thread=referral.staff_thread)
            await uow.commit()

    # To the young person, inside a staff action's transaction.

    async def claimed(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        """A person has the request: the young person's words go to staff from now on. Told
        once: when the request is taken again after being given back, they hear nothing."""
        user = await self._user_locked(uow, referral)
        if user is None:
            return
        state = await uow.states.for_user(user)
        if state.data.get(WITH_STAFF) == referral.id:
            return
        state.data = {**state.data, WITH_STAFF: referral.id}
        t = self._t(user)
        to_user(uow, user, Outbound(t("handoff.claimed")))

    async def staff_says(self, uow: UnitOfWork, referral: ReferralRecord, text: str) -> bool:
        """A staff member's words to the young person; False when they deleted their data."""
        user = await self._user_locked(uow, referral)
        if user is None:
            return False
        t = self._t(user)
        to_user(uow, user, Outbound(t("handoff.staff_says", text=text)))
        uow.messages.record(user, "out", text, route=STAFF_ANSWER)
        return True

    async def closed(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        """Closed: the young person is told, asked whether it helped, and the bot takes over."""
        user = await self._user_locked(uow, referral)
        if user is None:
            return
        state = await uow.states.for_user(user)
        state.data = {k: v for k, v in state.data.items() if k != WITH_STAFF}
        t = self._t(user)
        choices = (Choice(f"{FEEDBACK_CHOICE}yes", t("feedback.yes")),
                   Choice(f"{FEEDBACK_CHOICE}no", t("feedback.no")))
        state.offered = [[c.id, c.label] for c in choices]
        to_user(uow, user, Outbound(t("handoff.closed"), choices))

    def _t(self, user: User) -> Translator:
        return self._translators.get(user.locale, self._default)

    async def _user_locked(self, uow: UnitOfWork, referral: ReferralRecord) -> User | None:
        if referral.user_id is None:
            return None
        return await uow.users.by_id_locked(referral.user_id)
