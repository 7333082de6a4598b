"""WhatsApp through Twilio: signed webhooks in, replies out through the outbox, no conversation
logic.

Twilio POSTs each message to ``/webhooks/whatsapp`` and each delivery status of ours to
``/webhooks/whatsapp/status``, both signed with the account's auth token over the public URL
(``PUBLIC_BASE_URL``, so validation holds behind a proxy). A message is handled before Twilio
gets its empty TwiML answer (a turn takes milliseconds; Twilio waits 15 s and retries on an
error, and the MessageSid dedupes the retry). Replies go out through the outbox with twilio's
REST client, choices as numbered lines, in pieces under 1,600 characters.

WhatsApp lets a business write freely only within 24 hours of the user's last message. Outside
that window a reply is held: the user gets an approved template ("an answer is waiting for
you", ``TWILIO_WAITING_TEMPLATES``) and the held replies go out, in order, as soon as they
write again. Without a template they just wait, with the reason on the outbox rows for staff.
"""

import asyncio
import logging
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

from aiohttp import ClientError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.campaigns import CODE, split_whatsapp_tag
from bot.channels.numbered import render_numbered
from bot.channels.splitting import split_paragraphs
from bot.channels.twilio_http import close_client, make_client
from bot.channels.web import read_body
from bot.config import Settings
from bot.delivery import Held, OutboxWorker, Rejected, RetryLater, Unreachable
from bot.engine import Engine
from bot.messages import Inbound, Media, Outbound
from bot.staff import StaffDesk
from bot.storage.models import OutboxMessage, utcnow
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("youthbot.whatsapp")

CHANNEL = "whatsapp"
WEBHOOK_PATH = "/webhooks/whatsapp"
STATUS_PATH = "/webhooks/whatsapp/status"
MAX_BODY = 1600
"""Twilio refuses a longer message body (error 21617)."""
MAX_FORM_BYTES = 64_000
"""A real webhook is a few kilobytes (its Body at most 1,600 characters)."""
WINDOW = timedelta(hours=24) - timedelta(minutes=5)
"""WhatsApp's customer-service window, less a margin for clocks and queues."""
ADDRESS = re.compile(r"^whatsapp:\+[1-9]\d{5,14}$")
FORM = "application/x-www-form-urlencoded"

# Why replies wait, kept on their outbox rows: codes that staff tools show.
HELD_WAITING = "window_closed"
HELD_TEMPLATE_SENT = "window_closed:template_sent"
HELD_NO_TEMPLATE = "window_closed:no_template"

STATUS_ORDER = {"accepted": 0, "queued": 0, "scheduled": 0, "sending": 1, "sent": 2,
                "undelivered": 3, "failed": 3, "delivered": 4, "read": 5}
"""How far a message got; a callback never moves a message back (they arrive in any order)."""
OUTSIDE_WINDOW = "63016"
RETRYABLE = frozenset({"30001", "30008", "63018", "63038"})
"""Queue overflow, unknown error, rate limit, daily limit: sending again later can help."""
UNREACHABLE = frozenset({"21211", "21610", "63003", "63024"})
"""Not a valid or reachable WhatsApp number, or the user opted out: stop writing to them."""
MAX_ATTEMPTS = 5
CALLBACK_WAITS = (0.0, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
"""Pauses before each look for the message a status callback names (about 3 s in all)."""

_MEDIA_PREFIXES = (("image/", Media.IMAGE), ("audio/", Media.AUDIO), ("video/", Media.VIDEO))


def to_inbound(form: Mapping[str, str]) -> Inbound | None:
    """The webhook's fields as a message for the engine; None when they are not one.

    A quick-reply button selects by its payload; media is named by kind and never downloaded;
    a wa.me campaign tag is cut from the text, and a click-to-WhatsApp ad counts as campaign
    ``ad_<source id>``.
    """
    address, sid = form.get("From", ""), form.get("MessageSid", "")
    if not ADDRESS.match(address) or not sid:
        return None
    if payload := form.get("ButtonPayload"):
        return Inbound(CHANNEL, address, choice_id=payload, delivery_id=sid)
    text, campaign = split_whatsapp_tag(form.get("Body", ""))
    if campaign is None and (ad := form.get("ReferralSourceId")):
        campaign = f"ad_{ad}" if CODE.match(f"ad_{ad}") else None
    media = _media(form)
    if media is not Media.TEXT:
        return Inbound(CHANNEL, address, media=media, delivery_id=sid, campaign=campaign)
    return Inbound(CHANNEL, address, text=text, delivery_id=sid, campaign=campaign)


def _media(form: Mapping[str, str]) -> Media:
    if form.get("Latitude") or form.get("Longitude"):
        return Media.LOCATION
    count = form.get("NumMedia", "0")
    if not count.isdigit() or int(count) == 0:
        return Media.TEXT
    kind = form.get("MediaContentType0", "")
    return next((media for prefix, media in _MEDIA_PREFIXES if kind.startswith(prefix)),
                Media.FILE)


def window_open(last_inbound: datetime | None, now: datetime) -> bool:
    return last_inbound is not None and now - last_inbound < WINDOW


class WhatsAppChannel:
    def __init__(
        self, engine: Engine, unit_of_work: UnitOfWorkFactory, settings: Settings,
        staff: StaffDesk | None = None,
    ) -> None:
        assert settings.twilio_account_sid and settings.twilio_auth_token
        assert settings.twilio_whatsapp_number and settings.public_base_url
        self._engine = engine
        self._uow = unit_of_work
        self._settings = settings
        self._validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
        self._public = settings.public_base_url.rstrip("/")
        self._client: Client | None = None
        self._staff = staff
        self.outbox = OutboxWorker(unit_of_work, CHANNEL, self.send)

    def routes(self) -> list[BaseRoute]:
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"]),
                Route(STATUS_PATH, self.status_callback, methods=["POST"])]

    async def start(self) -> None:
        settings = self._settings
        assert settings.twilio_account_sid and settings.twilio_auth_token
        self._client = make_client(settings.twilio_account_sid,
                                   settings.twilio_auth_token.get_secret_value(),
                                   settings.twilio_api_base_url)
        self.outbox.start()

    async def stop(self) -> None:
        await self.outbox.shutdown()
        if self._client is not None:
            await close_client(self._client)

    # Twilio → us

    async def webhook(self, request: Request) -> Response:
        """A user's message: 403 unless Twilio signed it; handled, then an empty TwiML answer."""
        form = await self._verified_form(request)
        if isinstance(form, Response):
            return form
        inbound = to_inbound(form)
        if inbound is None:
            log.info("webhook ignored", extra={"fields": {"reason": "not a whatsapp message"}})
            return _twiml()
        await self._engine.handle(inbound)
        self.outbox.notify(inbound.address)
        return _twiml()

    async def status_callback(self, request: Request) -> Response:
        """Twilio reports how far one of our messages got; failures are kept, retried or held."""
        form = await self._verified_form(request)
        if isinstance(form, Response):
            return form
        sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
        if not sid or status not in STATUS_ORDER:
            return Response(status_code=400)
        await self._record_status(sid, status, form.get("ErrorCode") or None)
        return Response(status_code=204)

    async def _verified_form(self, request: Request) -> FormData | Response:
        """The posted fields if Twilio signed them (over our public URL); else the answer."""
        body = await read_body(request, MAX_FORM_BYTES)
        if body is None:
            return Response(status_code=413)
        if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
            return Response(status_code=415)
        try:
            form = FormData(parse_qsl(body.decode(), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            return Response(status_code=400)
        query = f"?{request.url.query}" if request.url.query else ""
        url = self._public + request.url.path + query
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self._validator.validate(url, form, signature):
            log.warning("bad twilio signature", extra={"fields": {"path": request.url.path}})
            return Response(status_code=403)
        return form

    async def _record_status(self, sid: str, status: str, error_code: str | None) -> None:
        """Twilio may call back before the sender has stored the SID it just got (the create's
        answer and the first callback leave Twilio together): then wait for it a little."""
        for delay in CALLBACK_WAITS:
            await asyncio.sleep(delay)
            if await self._apply_status(sid, status, error_code):
                return
        log.warning("status for an unknown message", extra={"fields": {"status": status}})

    async def _apply_status(self, sid: str, status: str, error_code: str | None) -> bool:
        """False when no sent reply has this SID (yet)."""
        async with self._uow() as uow:
            message = await uow.outbox.by_provider_id(CHANNEL, sid)
            if message is None:
                return False
            if STATUS_ORDER[status] <= STATUS_ORDER.get(message.status or "", -1):
                return True  # old news: callbacks come in any order, some twice
            address = message.address
            failed = status in ("failed", "undelivered")
            requeue = failed and _worth_retrying(message, error_code)
            await uow.outbox.update_status(message, status, error_code, requeue=requeue)
            fields = {"outbox_id": message.id, "status": status, "error": error_code}
            if failed:
                log.warning("whatsapp delivery failed", extra={"fields": fields})
            if failed and error_code in UNREACHABLE:
                await uow.users.mark_unreachable(CHANNEL, address)
            held = None
            if failed and error_code == OUTSIDE_WINDOW:
                user = await uow.users.by_id(message.user_id) if message.user_id else None
                held = await self._window_closed(uow, address, user.locale if user else None)
                await uow.outbox.hold(CHANNEL, address, held[0])
            await uow.commit()
        if held is not None:
            try:  # the reply waits already: a failed notice must not undo that
                await self._announce_hold(address, *held)
            except (RetryLater, Rejected, Unreachable) as error:
                log.warning("waiting template not sent",
                            extra={"fields": {"error": type(error).__name__}})
        elif requeue:
            self.outbox.notify(address)
        return True

    # us → Twilio

    async def send(self, address: str, reply: Outbound) -> str | None:
        """One reply, as numbered text in pieces under 1,600 characters; returns the last
        piece's SID. Raises :class:`Held` when the 24-hour window is closed."""
        closed = None
        async with self._uow() as uow:
            user = await uow.users.get(CHANNEL, address)
            # No user row: they just erased their data, and this is the confirmation.
            if user is not None and not window_open(user.last_seen_at, utcnow()):
                closed = await self._window_closed(uow, address, user.locale)
        if closed is not None:
            await self._announce_hold(address, *closed)  # fails: nothing held, tried again
            raise Held(closed[0])
        sid = None
        pieces = split_paragraphs(render_numbered(reply), MAX_BODY)
        for number, piece in enumerate(pieces, 1):
            sid = await self._create(address, tracked=number == len(pieces), body=piece)
        return sid

    async def _announce_hold(self, address: str, reason: str, template: str | None) -> None:
        """Replies have just started to wait: the user gets the template (if there is one to
        send) and the caseworker, if any, learns why."""
        if template is not None:
            await self._create(address, tracked=False, content_sid=template)
        if self._staff is not None and reason != HELD_WAITING:
            await self._staff.answer_waits(CHANNEL, address,
                                           nudged=reason == HELD_TEMPLATE_SENT)

    async def _window_closed(
        self, uow: UnitOfWork, address: str, locale: str | None
    ) -> tuple[str, str | None]:
        """Why the chat's replies wait, and the template that tells the user an answer waits:
        None when they were told already or there is no template. (The caller sends it after
        the transaction: no database lock waits on Twilio.)"""
        if await uow.outbox.has_held(CHANNEL, address):
            return HELD_WAITING, None
        templates = self._settings.twilio_waiting_templates
        template = templates.get(locale or "") or templates.get(self._settings.default_locale)
        if template is None:
            log.warning("whatsapp window closed, no template", extra={"fields": {}})
            return HELD_NO_TEMPLATE, None
        return HELD_TEMPLATE_SENT, template

    async def _create(self, address: str, *, tracked: bool, **content: str) -> str:
        """One Twilio message (``tracked``: with status callbacks, for an outbox reply's last
        piece); its failures in the outbox's terms, never with Twilio's text, which can quote
        the phone number."""
        assert self._client is not None and self._settings.twilio_whatsapp_number
        callback = self._public + STATUS_PATH if tracked else None
        try:
            message = await self._client.messages.create_async(
                from_=self._settings.twilio_whatsapp_number, to=address,
                status_callback=callback, **content,
            )
        except TwilioRestException as error:
            code = str(error.code) if error.code is not None else None
            if error.status == 429 or error.status >= 500:
                raise RetryLater(2.0 if error.status >= 500 else 1.0) from None
            if code in UNREACHABLE:
                raise Unreachable() from None
            raise Rejected(f"twilio {error.status} {code}") from None
        except (ClientError, TimeoutError) as error:
            raise RetryLater(1.0) from error
        return str(message.sid)


def _worth_retrying(message: OutboxMessage, error_code: str | None) -> bool:
    if error_code == OUTSIDE_WINDOW:
        return True  # held, then sent again when the user writes
    return error_code in RETRYABLE and message.attempts < MAX_ATTEMPTS


def _twiml() -> Response:
    """Twilio's "nothing to add": replies go through the REST API."""
    return Response(str(MessagingResponse()), media_type="text/xml")
