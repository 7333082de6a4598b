"""Repositories: the handlers' and engine's only way to read and write rows, one module per
aggregate.

Each takes the unit of work's session; none commits (the unit of work does, once per turn).
Rows that are only ever appended (the message log, the outbox) are kept until the commit and
written then with one Core INSERT per table: cheaper than the ORM's unit of work, and one round
trip for all of a turn's rows.

The statements run for every message are built once, at import, with bound parameters: building
a statement and its cache key costs more than sending it, and SQLAlchemy memoises the cache key
of a statement that is used again.
"""

from bot.storage.repositories.alerts import AlertRepository
from bot.storage.repositories.campaigns import CampaignRepository
from bot.storage.repositories.catalogue import CatalogueRepository
from bot.storage.repositories.messages import DeliveryRepository, MessageLog
from bot.storage.repositories.outbox import Outbox, as_outbound
from bot.storage.repositories.pulled import Pulled, PulledOutbox
from bot.storage.repositories.referrals import ReferralRepository
from bot.storage.repositories.retention import RetentionRepository
from bot.storage.repositories.staff import StaffRepository
from bot.storage.repositories.users import StateRepository, UserRepository

__all__ = [
    "AlertRepository", "CampaignRepository", "CatalogueRepository", "DeliveryRepository",
    "MessageLog", "Outbox", "Pulled", "PulledOutbox", "ReferralRepository",
    "RetentionRepository", "StaffRepository", "StateRepository", "UserRepository", "as_outbound",
]
