"""The channel contract: what a channel adapter module gives the service, and what it gets.

A channel is two halves, built by its module from settings:

- the **input half**: ``routes()`` (its webhooks, mounted on the one web app), ``start()`` and
  ``stop()`` (clients, long polling);
- the **output half**: ``name`` (the outbox's channel column), ``text_limit`` (characters in
  one message; ``youthbot content check`` holds every page to it), ``delivery`` (``push``: a
  sender delivers each row to the platform; ``pull``: the client reads them), ``window`` (the
  platform's customer-service window and its templates, or None) and ``send(address, reply)``,
  which only sends: what goes out when is the delivery policy's (:mod:`bot.delivery.policy`).

Every adapter module exposes ``NAME``, ``TEXT_LIMIT``, ``build(settings, services)``, which
returns its channel, or None when its settings are missing, and ``describe(settings)``, which
says whether it is on and how, or why it is off (see :class:`ChannelModule`).
``bot.bootstrap.CHANNELS`` lists the modules: ``youthbot run`` serves what they build and
``youthbot content check`` uses their limits, so adding a channel is one adapter module and one
line in that list. Adapters never import the web app or the composition root: what they need
comes in :class:`Services`, HTTP helpers from :mod:`bot.channels.http`.
"""

from dataclasses import dataclass
from typing import Protocol

from starlette.routing import BaseRoute

from bot.config import Settings
from bot.delivery import ChannelOutbox, Deliverable
from bot.engine import Engine
from bot.i18n import Translator
from bot.staff import StaffDesk
from bot.storage.unit_of_work import UnitOfWorkFactory


class Input(Protocol):
    """How the world reaches the bot through a channel."""

    def routes(self) -> list[BaseRoute]: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    @property
    def state(self) -> str:
        """What ``/readyz`` shows: ``on (polling)``, ``on (webhook)``, ``starting: …`` or
        ``off: …`` (why)."""


class Output(Deliverable, Protocol):
    """How the bot's replies reach the world through a channel (``name``, ``delivery``,
    ``window`` and ``send`` are what delivery needs; see :class:`bot.delivery.Deliverable`)."""

    @property
    def text_limit(self) -> int: ...


class Channel(Input, Output, Protocol):
    """Both halves: what an adapter module's ``build`` returns."""


@dataclass(frozen=True)
class Services:
    """What the composition root gives a channel."""

    engine: Engine
    unit_of_work: UnitOfWorkFactory
    translators: dict[str, Translator]
    staff: StaffDesk
    outbox: ChannelOutbox
    """Wakes this process's sender for a chat after a turn; hears of window refusals."""


class ChannelModule(Protocol):
    """An adapter module, as ``bot.bootstrap.CHANNELS`` lists it."""

    NAME: str
    TEXT_LIMIT: int

    def build(self, settings: Settings, services: Services) -> Channel | None: ...
    def describe(self, settings: Settings) -> str:
        """The channel's state by the settings alone (``youthbot run`` logs it at start):
        ``on (polling)``, ``on (webhook)``, or ``off: …`` with the setting that is missing."""
