"""The composition root: builds everything from settings. Nothing is built at import time.

:data:`CHANNELS` is the one list of channel adapter modules: ``youthbot run`` serves the
channels they build (:func:`build_channels`) and ``youthbot content check`` holds content to
their limits (:func:`text_limits`). A new channel is a module with the contract of
:mod:`bot.channels.base` and one line here.
"""

import importlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import content as content_module
from bot import startup
from bot.channels.base import Channel, ChannelModule, Services
from bot.config import LOCALES, Settings, SettingsError
from bot.content import ContentStore
from bot.delivery import Deliveries
from bot.engine import Engine
from bot.i18n import Translator, load_translators
from bot.staff import StaffChat, StaffDesk, accounts
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.unit_of_work import UnitOfWork
from nlu.base import Understander
from nlu.embedded import ModelMissing, load_or_train
from nlu.rasa_http import RasaHttpNLU
from opportunities.alerts import Reach
from opportunities.broadcast import Broadcaster

CHANNELS: tuple[str, ...] = (
    "bot.channels.telegram",
    "bot.channels.whatsapp",
    "bot.channels.webchat",
)
"""The channel adapter modules, imported when asked for (``youthbot chat`` needs none of them,
and python-telegram-bot and twilio take a while to import)."""


def channel_modules(names: Iterable[str] = CHANNELS) -> list[ChannelModule]:
    return [cast(ChannelModule, importlib.import_module(name)) for name in names]


def text_limits(modules: Sequence[ChannelModule] | None = None) -> dict[str, int]:
    """Each channel's limit on one message, by channel name, settings or not."""
    return {module.NAME: module.TEXT_LIMIT for module in modules or channel_modules()}

log = logging.getLogger("youthbot")


@dataclass
class Container:
    settings: Settings
    database: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    content: ContentStore
    translators: dict[str, Translator]
    engine: Engine
    nlu: Understander
    staff: StaffDesk
    deliveries: Deliveries

    def unit_of_work(self, *, autocommit: bool = False) -> UnitOfWork:
        return UnitOfWork(self.sessions, autocommit=autocommit)

    async def close(self) -> None:
        if isinstance(self.nlu, RasaHttpNLU):
            await self.nlu.close()
        await self.database.dispose()


async def build(
    settings: Settings, *, migrate_sqlite: bool = True, require_head: bool = False,
) -> Container:
    """Everything the bot needs; on the embedded SQLite default the schema is brought up to date.
    With ``require_head`` (``run``, ``chat``) a schema behind the code, or a database that does
    not answer, stops it before the NLU is loaded or trained."""
    content = content_module.load(settings.content_dir, LOCALES, text_limits())
    translators = load_translators(LOCALES)
    database = await open_database(settings, migrate_sqlite=migrate_sqlite)
    if require_head:
        try:
            await startup.require_schema_at_head(database)
        except SettingsError:
            await database.dispose()
            raise
    sessions = session_factory(database)
    nlu = build_nlu(settings)
    staff = build_staff_desk(settings, partial(UnitOfWork, sessions), translators)
    deliveries = Deliveries(partial(UnitOfWork, sessions), settings.default_locale,
                            on_hold=staff.answer_waits)
    engine = Engine(
        partial(UnitOfWork, sessions), content, translators, settings.default_locale, nlu,
        staff, settings.log_salt.get_secret_value().encode(), may_hold=deliveries.may_hold,
        profile_question=settings.profile_question,
    )
    return Container(settings, database, sessions, content, translators, engine, nlu, staff,
                     deliveries)


def build_channels(
    settings: Settings, container: Container, modules: Sequence[ChannelModule] | None = None,
) -> list[Channel]:
    """The channels the settings turn on, each added to the container's deliveries."""
    channels = []
    for module in modules or channel_modules():
        channel = module.build(settings, channel_services(container, module.NAME))
        if channel is not None:
            container.deliveries.add(channel)
            channels.append(channel)
    return channels


def channel_states(
    settings: Settings, modules: Sequence[ChannelModule] | None = None,
) -> dict[str, str]:
    """Each listed channel's state by the settings: on (polling / webhook), or off and why."""
    return {module.NAME: module.describe(settings) for module in modules or channel_modules()}


def channel_services(container: Container, channel: str) -> Services:
    """What the composition root gives one channel."""
    return Services(container.engine, container.unit_of_work, container.translators,
                    container.staff, container.deliveries.outbox(channel))


async def seed_staff(container: Container) -> None:
    """``TELEGRAM_STAFF_USER_IDS`` become active caseworkers if they are not members yet (at
    the start of ``run`` and ``chat``; a second process doing it at once changes nothing)."""
    ids = container.settings.staff_user_ids
    if not ids:
        return
    async with container.unit_of_work() as uow:
        try:
            if await accounts.ensure_caseworkers(uow, ids):
                await uow.commit()
        except IntegrityError:
            log.info("staff members were added by another process")


def build_staff_desk(
    settings: Settings, unit_of_work: Callable[[], UnitOfWork],
    translators: dict[str, Translator],
) -> StaffDesk:
    """The staff side; without a staff chat in the settings, referrals wait in the queue."""
    chat = None
    if settings.telegram_staff_chat_id is not None:
        ids = frozenset(str(i) for i in settings.staff_user_ids)
        chat = StaffChat(str(settings.telegram_staff_chat_id), ids)
    return StaffDesk(unit_of_work, translators, settings.default_locale, chat,
                     settings.referral_min_age, partners=settings.partners_by_topic)


async def open_database(settings: Settings, *, migrate_sqlite: bool = True) -> AsyncEngine:
    """The database engine; the embedded SQLite file is created and migrated as needed."""
    database = create_engine(settings.database_url)
    if settings.is_sqlite and migrate_sqlite:
        _ensure_sqlite_folder(settings.database_url)
        await migrate.upgrade(database)
    return database


@asynccontextmanager
async def storage(settings: Settings) -> AsyncIterator[Callable[[], UnitOfWork]]:
    """Only the database, for commands that need nothing else (no content, no NLU model)."""
    database = await open_database(settings)
    try:
        yield partial(UnitOfWork, session_factory(database))
    finally:
        await database.dispose()


@asynccontextmanager
async def reading(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session for the read side (``reports``): it only reads, and is rolled back at the end."""
    database = await open_database(settings)
    try:
        async with session_factory(database)() as session:
            yield session
    finally:
        await database.dispose()


def build_broadcaster(container: Container, settings: Settings | None = None) -> Broadcaster:
    """The alerts job's sender of new opportunities. Outside WhatsApp's window an alert goes
    only as the approved template: the scheduler needs to know that even in a process that
    built no channel (``--role scheduler``), so it is read from the settings here."""
    from bot.channels.whatsapp import NAME, WINDOW  # the channel's module, imported when asked

    settings = settings or container.settings
    reach = Reach({NAME: WINDOW}, {NAME: settings.twilio_alert_templates},
                  settings.default_locale)
    return Broadcaster(container.unit_of_work, container.translators, reach)


def build_nlu(settings: Settings) -> Understander:
    """The embedded classifier (trained now if the data changed, unless NLU_TRAIN_ON_START is
    false: then a missing model stops the start), or Rasa in front of it."""
    try:
        embedded = load_or_train(settings.nlu_model_dir,
                                 train_if_missing=settings.nlu_train_on_start)
    except ModelMissing:
        raise SettingsError([
            f"NLU_TRAIN_ON_START: false, and NLU_MODEL_DIR ({settings.nlu_model_dir}) holds no "
            "model for the current training data; run `youthbot nlu train` with the same "
            "NLU_MODEL_DIR first, or set NLU_TRAIN_ON_START=true"]) from None
    if settings.nlu_backend == "rasa" and settings.rasa_url:
        return RasaHttpNLU(settings.rasa_url, fallback=embedded)
    return embedded


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
