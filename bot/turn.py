"""What a handler gets: the message, who sent it, where they are, and what the bot can say."""

from dataclasses import dataclass, field
from datetime import datetime

from bot.config import other_locale
from bot.content import HELP, MENU, ContentStore, Page
from bot.i18n import Translator
from bot.messages import Choice, Inbound, Outbound
from bot.routes import Route
from bot.staff import StaffDesk
from bot.storage.models import ConversationState, User
from bot.storage.unit_of_work import UnitOfWork
from nlu.base import Parse
from opportunities.current import CurrentOpportunities

PAGE_CHOICE = "page:"
LANGUAGE_CHOICE = "lang:"
HANDOFF_CHOICE = "handoff:"
"""A page's "talk to a person" button: ``handoff:<topic>`` (read by :mod:`bot.flows.handoff`)."""
WAITING_CHOICE = "waiting"
"""The button of the "an answer is waiting for you" template (its payload in Twilio)."""


def offered(state: ConversationState) -> tuple[Choice, ...]:
    """The choices shown last, which a typed number or label picks from."""
    return tuple(Choice(cid, label) for cid, label in state.offered)


@dataclass(frozen=True)
class Situation:
    """What the router looks at: the message and where the conversation stands. It reads the
    state and changes nothing; the engine applies what the router decides."""

    inbound: Inbound
    state: ConversationState
    is_new_user: bool
    content: ContentStore
    locales: frozenset[str]

    def offered(self) -> tuple[Choice, ...]:
        return offered(self.state)


@dataclass
class Turn:
    inbound: Inbound
    route: Route
    user: User
    state: ConversationState
    is_new_user: bool
    content: ContentStore
    translators: dict[str, Translator]
    uow: UnitOfWork
    now: datetime
    staff: StaffDesk
    erased: bool = field(default=False)
    """Set by the delete-my-data handler: nothing of this turn may be stored for the user."""
    parse: Parse | None = None
    """What the NLU understood, when the message was free text."""
    released: int = 0
    """Replies that waited for this message (WhatsApp's window had closed) and now go first."""
    opportunities: CurrentOpportunities = field(default_factory=CurrentOpportunities)
    """The process's copy of the open opportunities (the engine's, kept across turns)."""
    profile_question: bool = False
    """The optional profile question may be asked after a first helpful answer
    (``PROFILE_QUESTION``, :mod:`bot.handlers.profile`)."""

    @property
    def locale(self) -> str:
        return self.user.locale

    @property
    def t(self) -> Translator:
        return self.translators[self.user.locale]

    def page(self, page_id: str) -> Page:
        return self.content.page(self.locale, page_id)

    def show(self, page_id: str, *, before: str = "", text: str | None = None) -> Outbound:
        """A content page as a reply, with its review date and its next pages as choices;
        ``text``: the page's text as shown instead (with directory entries in it)."""
        page = self.page(page_id)
        self.state.page = page_id
        parts = [before, page.text.strip() if text is None else text]
        if page.sources:
            parts.append(self.t("page.reviewed", date=self.t.date(page.last_reviewed)))
        choices = [Choice(PAGE_CHOICE + c, self.page(c).title) for c in page.choices]
        if page.handoff and self.staff.chat is not None:
            choices.insert(0, Choice(HANDOFF_CHOICE + page.handoff, self.t("handoff.choice")))
        if page_id in (MENU, HELP):
            choices.append(Choice(LANGUAGE_CHOICE + other_locale(self.locale),
                                  self.t("menu.switch_language")))
        return Outbound("\n\n".join(p for p in parts if p), tuple(choices))

    def offered(self) -> tuple[Choice, ...]:
        """The choices shown last, which a typed number or label picks from."""
        return offered(self.state)
