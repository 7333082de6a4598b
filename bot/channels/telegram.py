"""Telegram through python-telegram-bot 22: updates in, replies out; no conversation logic.

Long polling when no webhook URL is set; otherwise Telegram POSTs updates to
``/webhooks/telegram`` on our Starlette app (set the webhook once with
``youthbot telegram set-webhook``, not from every worker). Either way an update becomes an
``Inbound`` for the engine, which writes the replies to the outbox; the outbox worker sends them
with inline keyboards, in order per chat, within Telegram's rate limits.
"""

import asyncio
import hmac
import json
import logging
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, MessageLimit
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackContext,
    TypeHandler,
)

from bot.channels.base import Services
from bot.channels.http import read_body
from bot.channels.splitting import split_paragraphs
from bot.channels.telegram_commands import command_menus
from bot.channels.telegram_http import AiohttpRequest
from bot.channels.telegram_staff import StaffGroup
from bot.channels.telegram_start import OFF_WITHOUT_TOKEN, Retrying
from bot.channels.telegram_updates import blocked_by, to_inbound
from bot.config import Settings
from bot.delivery import DeliveryMode, Moved, Rejected, RetryLater, Unreachable
from bot.messages import Outbound

log = logging.getLogger("youthbot.telegram")

NAME = CHANNEL = "telegram"
TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
WEBHOOK_PATH = "/webhooks/telegram"
MAX_CALLBACK_BYTES = 64
MAX_BODY_BYTES = 1_000_000
HEADROOM = 0.85
"""Sends are spaced evenly at this share of ``TELEGRAM_MAX_RATE`` (one at a time, never a
burst): the network's jitter then cannot put more than the rate into any second at
Telegram's end (at 0.9, a busy machine once delivered 151 in a second at 150 a second to the
fake, in the kill -9 test of alerts). A burst allowance (PTB's default bucket holds a second's worth) let twice the
rate through in the second after a quiet spell."""
TYPING_AFTER = 1.0
"""Seconds a turn may take before the user sees "typing…" (not sooner: under load every
typing notice is one more request to Telegram)."""


def describe(settings: Settings) -> str:
    """On (by webhook or long polling) when a token is set."""
    if settings.telegram_bot_token is None:
        return OFF_WITHOUT_TOKEN
    return "on (webhook)" if settings.telegram_webhook_url else "on (polling)"


def build(settings: Settings, services: Services) -> "TelegramChannel | None":
    """The channel, when a bot token is set (the staff group's side too, with a staff chat)."""
    if settings.telegram_bot_token is None:
        return None
    return TelegramChannel(build_application(settings), services, settings)


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    assert settings.telegram_bot_token is not None
    # PTB 22 gives durations as timedelta only with this opt-in (else it warns on every 429).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    base_url = settings.telegram_api_base_url
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(base_url)
        .base_file_url(re.sub(r"/bot$", "/file/bot", base_url))
        .rate_limiter(AIORateLimiter(
            overall_max_rate=1, overall_time_period=1 / (settings.telegram_max_rate * HEADROOM),
            max_retries=0))
        .request(AiohttpRequest())
    )
    if settings.telegram_webhook_url:
        builder = builder.updater(None)
    return builder.build()


def keyboard(reply: Outbound) -> InlineKeyboardMarkup | None:
    """One button a row; callback data is the choice id, which must fit 64 bytes."""
    rows = []
    for choice in reply.choices:
        if len(choice.id.encode()) > MAX_CALLBACK_BYTES:
            log.error("choice id too long for telegram", extra={"fields": {"id": choice.id}})
            continue
        rows.append([InlineKeyboardButton(choice.label, callback_data=choice.id)])
    return InlineKeyboardMarkup(rows) if rows else None


async def set_webhook(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Point Telegram at our webhook: once, at deploy time (every worker doing it gets 429s)."""
    assert settings.telegram_webhook_url and settings.telegram_webhook_secret
    await application.bot.set_webhook(
        settings.telegram_webhook_url, allowed_updates=Update.ALL_TYPES,
        secret_token=settings.telegram_webhook_secret.get_secret_value(),
    )


class TelegramChannel:
    name = CHANNEL
    text_limit = TEXT_LIMIT
    delivery: DeliveryMode = "push"
    window = None
    """Telegram has no customer-service window: everything goes out at once."""

    def __init__(
        self, application: Application, services: Services,  # type: ignore[type-arg]
        settings: Settings,
    ) -> None:
        self.application = application
        self._engine = services.engine
        self._uow = services.unit_of_work
        self._translators = services.translators
        self._settings = settings
        self._outbox = services.outbox
        staff = services.staff
        self._staff = (StaffGroup(application, staff, self._outbox)
                       if staff.chat is not None else None)
        self._starting = Retrying(self._start_once, "polling" if self.polling else "webhook")

    @property
    def polling(self) -> bool:
        return not self._settings.telegram_webhook_url

    def routes(self) -> list[BaseRoute]:
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    @property
    def state(self) -> str:
        return self._starting.state

    async def start(self) -> None:
        """Started now, or, while the Bot API does not answer, in the background (the rest of
        the service does not wait); a rejected token leaves Telegram off."""
        if self.polling:
            self.application.add_handler(TypeHandler(Update, self._on_polled))
            self.application.add_error_handler(self._on_error)
        await self._starting.start()

    async def _start_once(self) -> None:
        await self.application.initialize()
        await self.register_commands()
        if self.polling:
            if not self.application.running:
                await self.application.start()
            assert self.application.updater is not None
            await self.application.updater.start_polling(
                allowed_updates=Update.ALL_TYPES, drop_pending_updates=False, timeout=10
            )

    async def stop(self) -> None:
        await self._starting.stop()
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self.application.bot.shutdown()  # its HTTP clients, if the start never got through

    async def register_commands(self) -> None:
        """The command menu in Albanian (also the default) and in English."""
        for language, listed in command_menus(self._translators, self._settings.default_locale):
            await self.application.bot.set_my_commands(listed, language_code=language)

    async def webhook(self, request: Request) -> Response:
        """Telegram's POST: 403 without the secret, 400 for what is not an Update, else handled
        before answering 200 (a 5xx makes Telegram redeliver; the update id dedupes)."""
        secret = self._settings.telegram_webhook_secret
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if secret is None or not hmac.compare_digest(given, secret.get_secret_value()):
            return Response(status_code=403)
        body = await read_body(request, MAX_BODY_BYTES)
        if body is None:
            return JSONResponse({"error": "too large"}, status_code=400)
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise TypeError("not an update")
            update = Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, IndexError,
                TelegramError):  # python-telegram-bot's parsing of a body nobody should send
            return JSONResponse({"error": "not an update"}, status_code=400)
        await self.handle(update)
        return Response(status_code=200)

    async def _on_polled(self, update: object, _context: object) -> None:
        assert isinstance(update, Update)
        await self.handle(update)

    async def _on_error(self, update: object, context: CallbackContext) -> None:  # type: ignore[type-arg]
        """A polled update whose handling failed: loudly in the log (Telegram will not resend)."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update failed", exc_info=context.error,
                  extra={"fields": {"update_id": update_id}})

    async def handle(self, update: Update) -> None:
        if self._staff is not None and self._staff.in_staff_chat(update):
            await self._staff.handle(update)
            return
        if update.callback_query is not None:
            with suppress(TelegramError):  # an old query; the answer is only the spinner
                await update.callback_query.answer()
        if (address := blocked_by(update)) is not None:
            async with self._uow() as uow:
                await uow.users.mark_unreachable(CHANNEL, address)
                await uow.commit()
            return
        inbound = to_inbound(update)
        if inbound is None:
            log.info("update ignored", extra={"fields": {"update_id": update.update_id}})
            return
        async with self._typing(inbound.address):
            await self._engine.handle(inbound)
        self._outbox.notify(inbound.address)
        if self._staff is not None:
            self._outbox.sweep_soon()  # the turn may have written to the staff chat too

    @asynccontextmanager
    async def _typing(self, address: str) -> AsyncIterator[None]:
        """"typing…" once the turn has taken ``TYPING_AFTER``: a timer, and a task only when
        it fires (most turns are quicker, and a task for each would cost more than the turn's
        own bookkeeping)."""
        async def show() -> None:
            with suppress(TelegramError):
                await self.application.bot.send_chat_action(int(address), ChatAction.TYPING)

        shown: list[asyncio.Task[None]] = []
        timer = asyncio.get_running_loop().call_later(
            TYPING_AFTER, lambda: shown.append(asyncio.create_task(show())))
        try:
            yield
        finally:
            timer.cancel()
            for task in shown:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    async def send(self, address: str, reply: Outbound) -> str:
        """One reply, in pieces of at most 4096 characters; the buttons go with the last.
        Returns the last piece's message id."""
        pieces = split_paragraphs(reply.text, MessageLimit.MAX_TEXT_LENGTH)
        try:
            if reply.edit is not None:  # the message's id is its last piece's
                await self.application.bot.edit_message_text(
                    pieces[-1], chat_id=int(address), message_id=int(reply.edit),
                    reply_markup=keyboard(reply))
                return reply.edit
            for number, piece in enumerate(pieces, 1):
                markup = keyboard(reply) if number == len(pieces) else None
                sent = await self.application.bot.send_message(
                    int(address), piece, reply_markup=markup,
                    message_thread_id=int(reply.thread) if reply.thread else None,
                )
            return str(sent.message_id)
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RetryLater(seconds) from error
        except Forbidden as error:
            raise Unreachable() from error
        except ChatMigrated as error:
            raise Moved(str(error.new_chat_id)) from error
        except BadRequest as error:
            raise Rejected(error.message) from error
        except NetworkError as error:
            raise RetryLater(1.0) from error
