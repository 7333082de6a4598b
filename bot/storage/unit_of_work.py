"""One unit of work per turn: everything a turn changes commits together, or nothing does."""

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.repositories import (
    AlertRepository,
    CampaignRepository,
    CatalogueRepository,
    DeliveryRepository,
    MessageLog,
    Outbox,
    PulledOutbox,
    ReferralRepository,
    RetentionRepository,
    StaffRepository,
    StateRepository,
    UserRepository,
)
from bot.storage.repositories.conversations import ConversationRepository
from bot.storage.repositories.kept_counts import KeptCountRepository
from bot.storage.repositories.profiles import ProfileRepository
from bot.storage.repositories.reminders import ReminderRepository
from bot.storage.repositories.sign_ins import SignInRepository


class UnitOfWork:
    """``async with uow:`` opens a session; leaving without ``commit()`` rolls back.

    With ``autocommit`` every statement commits by itself on PostgreSQL (no BEGIN and COMMIT
    round trips around it): for callers whose statements are each atomic and safe to repeat,
    as the outbox's leases are. SQLite keeps its transaction (its write lock is taken by
    ``BEGIN IMMEDIATE``), so there a commit is still needed.
    """

    users: UserRepository
    states: StateRepository
    messages: MessageLog
    deliveries: DeliveryRepository
    outbox: Outbox
    pulled: PulledOutbox
    campaigns: CampaignRepository
    referrals: ReferralRepository
    staff: StaffRepository
    retention: RetentionRepository
    catalogue: CatalogueRepository
    reminders: ReminderRepository
    alerts: AlertRepository
    profiles: ProfileRepository
    kept_counts: KeptCountRepository
    sign_ins: SignInRepository
    conversations: ConversationRepository

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, autocommit: bool = False
    ) -> None:
        self._sessions = sessions
        self._autocommit = autocommit
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        self._session = session = self._sessions()
        if self._autocommit and session.get_bind().dialect.name == "postgresql":
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        self.users = UserRepository(session)
        self.states = StateRepository(session)
        self.messages = MessageLog(session)
        self.deliveries = DeliveryRepository(session)
        self.outbox = Outbox(session)
        self.pulled = PulledOutbox(session)
        self.campaigns = CampaignRepository(session)
        self.referrals = ReferralRepository(session)
        self.staff = StaffRepository(session)
        self.retention = RetentionRepository(session)
        self.catalogue = CatalogueRepository(session)
        self.reminders = ReminderRepository(session)
        self.alerts = AlertRepository(session)
        self.profiles = ProfileRepository(session)
        self.kept_counts = KeptCountRepository(session)
        self.sign_ins = SignInRepository(session)
        self.conversations = ConversationRepository(session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        await self._session.rollback()
        await self._session.close()
        self._session = None

    @property
    def session(self) -> AsyncSession:
        """The open session, for the read side (``reports``), which takes one."""
        assert self._session is not None
        return self._session

    async def commit(self) -> None:
        """Write the queued log, outbox and opportunity event rows, then commit everything
        at once."""
        assert self._session is not None
        await self.messages.write()
        await self.outbox.write()
        await self.catalogue.write()
        await self._session.commit()


class UnitOfWorkFactory(Protocol):
    """What opens units of work: ``UnitOfWork`` with its sessions bound, or the container's."""

    def __call__(self, *, autocommit: bool = False) -> UnitOfWork: ...
