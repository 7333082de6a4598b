"""WhatsApp through Twilio: signed webhooks in, replies out through the outbox, no conversation
logic.

Twilio POSTs each message to ``/webhooks/whatsapp`` and each delivery status of ours to
``/webhooks/whatsapp/status``, both signed with the account's auth token over the public URL
(``PUBLIC_BASE_URL``, so validation holds behind a proxy). A message is handled before Twilio
gets its empty TwiML answer (a turn takes milliseconds; Twilio waits 15 s and retries on an
error, and the MessageSid dedupes the retry). Replies go out through the outbox with twilio's
REST client, choices as numbered lines, in pieces under 1,600 characters.

WhatsApp lets a business write freely only within 24 hours of the user's last message. The
channel declares that window and its approved templates (``TWILIO_WAITING_TEMPLATES``,
``TWILIO_ALERT_TEMPLATES``); what is held, nudged or sent as a template outside it is the
delivery policy's (:mod:`bot.delivery.policy`). ``inbound`` reads the webhooks, ``status`` the
status callbacks, ``sender`` talks to Twilio.
"""

import logging
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.channels.base import Services
from bot.channels.whatsapp.inbound import SignedForms, to_inbound, twiml
from bot.channels.whatsapp.sender import MAX_BODY, TwilioSender
from bot.channels.whatsapp.status import STATUS_ORDER, StatusCallbacks
from bot.config import Settings
from bot.delivery import DeliveryMode, Window
from bot.engine import Engine
from bot.messages import Outbound

__all__ = ["NAME", "STATUS_PATH", "TEXT_LIMIT", "WEBHOOK_PATH", "WINDOW", "WhatsAppChannel",
           "build", "describe", "to_inbound"]

log = logging.getLogger("youthbot.whatsapp")

NAME = CHANNEL = "whatsapp"
TEXT_LIMIT = MAX_BODY
WEBHOOK_PATH = "/webhooks/whatsapp"
STATUS_PATH = "/webhooks/whatsapp/status"
WINDOW = timedelta(hours=24) - timedelta(minutes=5)
"""WhatsApp's customer-service window, less a margin for clocks and queues."""


def build(settings: Settings, services: Services) -> "WhatsAppChannel | None":
    """The channel, when the account, its token, our number and our public address are set."""
    if not settings.whatsapp_enabled:
        return None
    return WhatsAppChannel(settings, services)


def describe(settings: Settings) -> str:
    """On with all four settings; else off, naming what is missing."""
    if settings.whatsapp_enabled:
        return "on (webhook)"
    missing = [name for name, value in (
        ("TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
        ("TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
        ("TWILIO_WHATSAPP_NUMBER", settings.twilio_whatsapp_number),
        ("PUBLIC_BASE_URL", settings.public_base_url)) if not value]
    return f"off: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set"


class WhatsAppChannel:
    name = CHANNEL
    text_limit = TEXT_LIMIT
    delivery: DeliveryMode = "push"
    state = "on (webhook)"

    def __init__(self, settings: Settings, services: Services) -> None:
        sid, token = settings.twilio_account_sid, settings.twilio_auth_token
        number, public = settings.twilio_whatsapp_number, settings.public_base_url
        assert sid and token and number and public
        public = public.rstrip("/")
        self._engine: Engine = services.engine
        self._outbox = services.outbox
        self._forms = SignedForms(token.get_secret_value(), public)
        self._statuses = StatusCallbacks(services.unit_of_work, services.outbox)
        self._sender = TwilioSender(sid, token.get_secret_value(), number,
                                    settings.twilio_api_base_url, public + STATUS_PATH)
        self.window = Window(WINDOW, self._sender.send_template,
                             settings.twilio_waiting_templates, settings.twilio_alert_templates)

    def routes(self) -> list[BaseRoute]:
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"]),
                Route(STATUS_PATH, self.status_callback, methods=["POST"])]

    async def start(self) -> None:
        self._sender.open()

    async def stop(self) -> None:
        await self._sender.close()

    async def send(self, address: str, reply: Outbound) -> str | None:
        return await self._sender.send(address, reply)

    async def webhook(self, request: Request) -> Response:
        """A user's message: 403 unless Twilio signed it; handled, then an empty TwiML answer."""
        form = await self._forms.read(request)
        if isinstance(form, Response):
            return form
        inbound = to_inbound(form)
        if inbound is None:
            log.info("webhook ignored", extra={"fields": {"reason": "not a whatsapp message"}})
            return twiml()
        await self._engine.handle(inbound)
        self._outbox.notify(inbound.address)
        return twiml()

    async def status_callback(self, request: Request) -> Response:
        """Twilio reports how far one of our messages got; failures are kept, retried or held."""
        form = await self._forms.read(request)
        if isinstance(form, Response):
            return form
        sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
        if not sid or status not in STATUS_ORDER:
            return Response(status_code=400)
        await self._statuses.record(sid, status, form.get("ErrorCode") or None)
        return Response(status_code=204)
