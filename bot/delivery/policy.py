"""Delivery policies: whether an outbox row goes out now, goes out as a template, or waits.

A channel without a window (Telegram, the terminal) sends everything at once: :class:`Policy`.
WhatsApp lets a business write freely only within 24 hours of the user's last message; its
channel says so with a :class:`Window`, and :class:`WindowPolicy` applies it by the row's kind:

- ``reply``, the bot's answer in a turn (the user has just written), goes out;
- ``staff``, what a staff member wrote and the notices around it, waits outside the window: the
  user gets the approved "an answer is waiting for you" template (once) and the held rows go
  out, in order, as soon as they write again. Without a template they just wait, with the
  reason on the rows for staff;
- ``alert``, a message the bot starts itself, goes out outside the window as the approved alert
  template of the user's language instead of holding the chat; without one it waits like
  ``staff``.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Row

from bot.messages import Outbound
from bot.storage.models import OutboxKind, OutboxMessage, utcnow
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("youthbot.delivery")

Kind = OutboxKind
KINDS: tuple[Kind, ...] = ("reply", "staff", "alert")

# Why replies wait, kept on their outbox rows: codes that staff tools show.
HELD_WAITING = "window_closed"
HELD_TEMPLATE_SENT = "window_closed:template_sent"
HELD_NO_TEMPLATE = "window_closed:no_template"


class SendTemplate(Protocol):
    """Send an approved template to an address; with ``reply``, the template carries it (an
    alert, tracked like any reply) and the platform's id comes back."""

    def __call__(
        self, address: str, template: str, reply: Outbound | None = None
    ) -> Awaitable[str]: ...


@dataclass(frozen=True)
class Window:
    """A platform's customer-service window: outside it only approved templates go out.
    Templates are per language (Content SIDs)."""

    length: timedelta
    send_template: SendTemplate
    waiting_templates: Mapping[str, str] = field(default_factory=dict)
    alert_templates: Mapping[str, str] = field(default_factory=dict)


def window_open(last_inbound: datetime | None, now: datetime, length: timedelta) -> bool:
    return last_inbound is not None and now - last_inbound < length


@dataclass(frozen=True)
class Send:
    """Send the row as it is."""


@dataclass(frozen=True)
class UseTemplate:
    """Send the row inside this approved template."""

    template: str


@dataclass(frozen=True)
class Hold:
    """Hold the chat for ``reason``; first send ``template`` (None: nothing to tell the user)."""

    reason: str
    template: str | None = None


Decision = Send | UseTemplate | Hold
SEND = Send()



class OnHold(Protocol):
    """Told when a chat's replies start to wait (the staff desk: the caseworker hears why, and
    whether the user was ``nudged`` with a template)."""

    def __call__(self, channel: str, address: str, *, nudged: bool) -> Awaitable[None]: ...


class Policy:
    """Everything goes out at once: a channel with no window."""

    async def decide(
        self, unit_of_work: UnitOfWorkFactory, message: Row[Any] | OutboxMessage
    ) -> Decision:
        """What to do with a leased row (reading the database, if need be, in a unit of work
        of its own, closed before it returns)."""
        return SEND

    async def refused(self, uow: UnitOfWork, message: OutboxMessage) -> Hold:
        """The platform refused a sent row for being outside its window: hold the chat (in
        ``uow``; the caller commits, then calls :meth:`announce`)."""
        await uow.outbox.hold(message.channel, message.address, HELD_WAITING)
        return Hold(HELD_WAITING)

    async def announce(self, channel: str, address: str, hold: Hold) -> None:
        """A chat's replies have just started to wait (after the commit)."""

    async def send_template(self, address: str, template: str, reply: Outbound) -> str | None:
        raise NotImplementedError  # a policy that never decides UseTemplate


class WindowPolicy(Policy):
    """The customer-service window, applied by kind (see the module's docstring)."""

    def __init__(
        self, window: Window, default_locale: str,
        on_hold: OnHold | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.window = window
        self._default_locale = default_locale
        self._on_hold = on_hold
        self._clock = clock

    async def decide(
        self, unit_of_work: UnitOfWorkFactory, message: Row[Any] | OutboxMessage
    ) -> Decision:
        if message.kind == "reply":
            return SEND  # no database read: the common case costs nothing more
        async with unit_of_work() as uow:
            user = await uow.users.get(message.channel, message.address)
            # No user row: they just erased their data, and this is the confirmation.
            if user is None or window_open(user.last_seen_at, self._clock(),
                                           self.window.length):
                return SEND
            if message.kind == "alert":
                template = self._template(self.window.alert_templates, user.locale)
                if template is not None:
                    return UseTemplate(template)
            return await self._closed(uow, message.channel, message.address, user.locale)

    async def refused(self, uow: UnitOfWork, message: OutboxMessage) -> Hold:
        user = await uow.users.by_id(message.user_id) if message.user_id else None
        hold = await self._closed(uow, message.channel, message.address,
                                  user.locale if user else None)
        await uow.outbox.hold(message.channel, message.address, hold.reason)
        return hold

    async def announce(self, channel: str, address: str, hold: Hold) -> None:
        """The user gets the waiting template (if there is one to send) and the caseworker, if
        any, learns why."""
        if hold.template is not None:
            await self.window.send_template(address, hold.template)
        if self._on_hold is not None and hold.reason != HELD_WAITING:
            await self._on_hold(channel, address, nudged=hold.reason == HELD_TEMPLATE_SENT)

    async def send_template(self, address: str, template: str, reply: Outbound) -> str | None:
        return await self.window.send_template(address, template, reply)

    async def _closed(
        self, uow: UnitOfWork, channel: str, address: str, locale: str | None
    ) -> Hold:
        """Why the chat's replies wait, and the template that tells the user an answer waits:
        none when they were told already or there is no template. (It is sent after the
        transaction: no database lock waits on the platform.)"""
        if await uow.outbox.has_held(channel, address):
            return Hold(HELD_WAITING)
        template = self._template(self.window.waiting_templates, locale)
        if template is None:
            log.warning("window closed, no template", extra={"fields": {"channel": channel}})
            return Hold(HELD_NO_TEMPLATE)
        return Hold(HELD_TEMPLATE_SENT, template)

    def _template(self, templates: Mapping[str, str], locale: str | None) -> str | None:
        return templates.get(locale or "") or templates.get(self._default_locale)
