"""What the staff side writes to the outbox: every write goes through :func:`put`, in the
transaction of the change that caused it; and the staff chat's notices (the referral card,
claims, hand-overs, closing, re-alerts, reminders), rendered from the catalogs with labels,
Albanian first. The one who acted gets their result from their own interface; these notices
are what everyone in the staff chat sees."""

from dataclasses import dataclass

from bot.i18n import N_, Translator
from bot.messages import Choice, Outbound
from bot.staff.labels import DASH, label
from bot.storage.models import User
from bot.storage.unit_of_work import UnitOfWork
from referrals.store import ReferralRecord

STAFF_CHANNEL = "telegram"
CLAIM_CHOICE = "staff:claim:"


@dataclass(frozen=True)
class StaffChat:
    """Where staff are (the Telegram group), and the Telegram user ids the settings list as
    staff (they become caseworkers; who may act is in the database)."""

    address: str
    staff_ids: frozenset[str] = frozenset()

    @property
    def listed(self) -> frozenset[int]:
        return frozenset(int(i) for i in self.staff_ids if str(i).strip().lstrip("-").isdigit())


def put(
    uow: UnitOfWork, channel: str, address: str, user: User | None, reply: Outbound,
    referral_id: int | None = None,
) -> None:
    """The staff side's one way into the outbox (to the staff chat or to a young person)."""
    uow.outbox.put(channel, address, user, reply, referral_id=referral_id, kind="staff")


def to_user(uow: UnitOfWork, user: User, reply: Outbound) -> None:
    put(uow, user.channel, user.address, user, reply)


class Notices:
    """The staff chat's messages; nothing is written when there is no staff chat."""

    def __init__(self, t: Translator, chat: StaffChat | None) -> None:
        self.t = t
        self.chat = chat

    def say(self, uow: UnitOfWork, text: str, *, referral_id: int | None = None,
            thread: str | None = None, choices: tuple[Choice, ...] = ()) -> None:
        """A message in the staff chat, or in a forum topic of it; one about a referral is
        stored with it, so a reply to it answers that referral."""
        if self.chat is not None:
            put(uow, STAFF_CHANNEL, self.chat.address, None, Outbound(text, choices, thread),
                referral_id=referral_id)

    def card(self, referral: ReferralRecord) -> str:
        t = self.t
        card = t(
            "staff.card", id=referral.id, priority=label(t, "priority", referral.priority),
            topic=label(t, "topic", referral.topic), channel=label(t, "channel", referral.channel),
            municipality=label(t, "municipality", referral.municipality),
            age=label(t, "age", referral.age_band), gender=label(t, "gender", referral.gender),
            contact=label(t, "contact", referral.contact), summary=referral.summary or DASH,
        )
        if referral.opportunity_id is None:
            return card
        return "\n".join((card, t("staff.card.opportunity", id=referral.opportunity_id,
                                   title=referral.opportunity_title or DASH)))

    def claim_button(self, referral_id: int) -> tuple[Choice, ...]:
        return (Choice(f"{CLAIM_CHOICE}{referral_id}", self.t("staff.claim")),)

    def new_referral(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        self.say(uow, self.card(referral), referral_id=referral.id,
                 choices=self.claim_button(referral.id))

    def claimed(self, uow: UnitOfWork, referral: ReferralRecord, holder: str) -> None:
        self.say(uow, self.t("staff.claim.won", id=referral.id, staff=holder),
                 referral_id=referral.id)

    def unclaimed(self, uow: UnitOfWork, referral: ReferralRecord, by: str) -> None:
        """Back in the queue: said where the referral was handled, and a fresh card to claim."""
        self.say(uow, self.t("staff.unclaimed", id=referral.id, staff=by),
                 referral_id=referral.id, thread=referral.staff_thread)
        self.new_referral(uow, referral)

    def reassigned(self, uow: UnitOfWork, referral: ReferralRecord, to: str, by: str) -> None:
        self.say(uow, self.t("staff.reassigned", id=referral.id, staff=to, by=by),
                 referral_id=referral.id, thread=referral.staff_thread)

    def closed(self, uow: UnitOfWork, referral: ReferralRecord, by: str) -> None:
        t = self.t
        key = N_("staff.closed.partner") if referral.partner else N_("staff.closed")
        self.say(uow, t(key, id=referral.id, outcome=label(t, "outcome", referral.outcome),
                        partner=referral.partner or "", staff=by),
                 referral_id=referral.id, thread=referral.staff_thread)

    def realerted(self, uow: UnitOfWork, referral: ReferralRecord) -> None:
        self.say(uow, self.t("staff.realert", id=referral.id) + "\n\n" + self.card(referral),
                 referral_id=referral.id, choices=self.claim_button(referral.id))

    def reminder(self, uow: UnitOfWork, referral: ReferralRecord, holder: str, hours: int) -> None:
        self.say(uow, self.t("staff.reminder", id=referral.id, staff=holder, hours=hours),
                 referral_id=referral.id, thread=referral.staff_thread)

    def thread_opened(self, uow: UnitOfWork, referral: ReferralRecord, holder: str) -> None:
        self.say(uow, "\n\n".join((self.t("staff.thread_opened", id=referral.id, staff=holder),
                                   self.card(referral))),
                 referral_id=referral.id, thread=referral.staff_thread)
