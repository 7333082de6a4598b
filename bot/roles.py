"""What one ``youthbot run`` process does, by its ``--role``.

=========  =====================================  =========================  ==============
role       HTTP (``PORT``)                        push channels' senders     scheduler
=========  =====================================  =========================  ==============
all        health, every channel's webhooks,      yes, each as its leader    as its leader
           the staff console; Telegram long
           polling when no webhook
web        health, every channel's webhooks,      no: rows wait for a        no
           the staff console                      sender's sweep
sender     health                                 yes, each as its leader    no
scheduler  health                                 no                         as its leader
=========  =====================================  =========================  ==============

``all`` is the embedded default: one process does everything, as before roles existed. On
PostgreSQL any number of processes of any role may run: each push channel's sender and the
scheduler are elected (:mod:`bot.leadership`), so one process sends a channel's rows (one rate
budget) and one runs the jobs; the others wait to take over. A web worker never sends: its
turns' rows are found by the sender's sweep, every :data:`SENDER_SWEEP` seconds. Split roles
need PostgreSQL, and Telegram's webhook: long polling is one process's job, so it is ``all``'s.
"""

import asyncio
import enum
from contextlib import suppress

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot import bootstrap, startup, web
from bot.channels.base import Channel
from bot.channels.web import Served, create_app
from bot.config import Settings, SettingsError
from bot.delivery import Deliveries
from bot.leadership import Election, Work
from bot.scheduler import Scheduler, jobs
from bot.storage.advisory import AdvisoryLocks

SENDER_SWEEP = 0.5
"""Seconds between a sender's looks for rows written by other processes (on PostgreSQL, where
web workers never wake it; a sweep is one grouped query). bench/split_roles.py measured, from
the POST to a web worker to the sendMessage: p50 299 ms, p99 543 ms (one process: 26 / 59)."""
STOP_WITHIN = 1.0
"""Seconds a sender that stops leading gives the deliveries under way before cancelling them
(their rows stay leased; the next leader frees them)."""


class Role(enum.StrEnum):
    ALL = "all"
    WEB = "web"
    SENDER = "sender"
    SCHEDULER = "scheduler"


class RoleRefused(SettingsError):
    """These settings cannot run in this role: one line for the operator, exit 78."""


def check(settings: Settings, role: Role) -> None:
    """Raise :class:`RoleRefused` when these settings cannot run in this role."""
    if role is Role.ALL:
        return
    if settings.is_sqlite:
        raise RoleRefused([
            f"--role {role}: DATABASE_URL is SQLite, which serves one process; use --role all, "
            "or a shared database, e.g. DATABASE_URL=postgresql://youthbot@db/youthbot"])
    polling = settings.telegram_bot_token is not None and not settings.telegram_webhook_url
    if polling and role in (Role.WEB, Role.SENDER):
        raise RoleRefused([
            f"--role {role}: TELEGRAM_WEBHOOK_URL is not set, and Telegram long polling runs "
            "only in --role all (one process); set e.g. "
            "TELEGRAM_WEBHOOK_URL=https://bot.example.org/webhooks/telegram"])


async def build_app(settings: Settings, role: Role) -> Starlette:
    """The process's web app: its lifespan starts what the role runs and stops it again."""
    container = await bootstrap.build(settings, require_head=True)
    await bootstrap.seed_staff(container)
    channels = ([] if role is Role.SCHEDULER
                else bootstrap.build_channels(settings, container))
    states = bootstrap.channel_states(settings)
    startup.log_channels(states)
    locks = AdvisoryLocks(settings.database_url)
    elections = []
    if role in (Role.ALL, Role.SENDER):
        sweep = SENDER_SWEEP if locks.shared else None
        elections += [Election(locks, f"sender:{name}", sender(container.deliveries, name, sweep))
                      for name in container.deliveries.push_channels]
    if role in (Role.ALL, Role.SCHEDULER):
        periodic = jobs(container.staff, container.unit_of_work, settings.retention_days,
                        container.translators, bootstrap.build_broadcaster(container))
        scheduler = Scheduler(periodic, container.deliveries.sweep_soon)
        elections.append(Election(locks, "scheduler", scheduler.run))
    served: list[Served] = list(channels)
    if role is Role.SENDER:
        served = [Unrouted(channel) for channel in channels]
    console = (web.build(settings, container.staff.actions, container.unit_of_work,
                         container.translators) if role in (Role.ALL, Role.WEB) else None)
    return create_app(container, served, background=[Leaders(locks, elections)],
                      owns_container=True, states=states, pages=web.routes(console))


def sender(deliveries: Deliveries, channel: str, sweep_every: float | None) -> Work:
    """The work of a channel's elected sender: take the channel's rows over, send until
    cancelled."""
    async def send_while_leading() -> None:
        await deliveries.take_over(channel, sweep_every=sweep_every)
        try:
            await asyncio.Future()  # until cancelled
        finally:
            with suppress(TimeoutError):
                await asyncio.wait_for(deliveries.stop(channel), STOP_WITHIN)

    return send_while_leading


class Leaders:
    """The process's elections, started after the channels and stopped before them."""

    def __init__(self, locks: AdvisoryLocks, elections: list[Election]) -> None:
        self._locks = locks
        self.elections = elections

    def start(self) -> None:
        for election in self.elections:
            election.start()

    async def stop(self) -> None:
        for election in self.elections:
            await election.stop()
        await self._locks.close()


class Unrouted:
    """A channel started for its output half only (a sender's): its webhooks are not served."""

    def __init__(self, channel: Channel) -> None:
        self._channel = channel
        self.name = channel.name

    @property
    def state(self) -> str:
        return self._channel.state

    def routes(self) -> list[BaseRoute]:
        return []

    async def start(self) -> None:
        await self._channel.start()

    async def stop(self) -> None:
        await self._channel.stop()
