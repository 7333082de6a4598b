"""What the fake Twilio posts to the bot: signed status callbacks after a create, and a user's
WhatsApp messages to the webhook, each signed for the bot's public URL and sent where it maps."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import urljoin

import httpx
from twilio.request_validator import RequestValidator

from tests.fakes.twilio_wire import (
    ACCOUNT_SID,
    API_VERSION,
    BOT_NUMBER,
    CHANNEL_INSTALL_SID,
    OUTSIDE_WINDOW,
    TWILIO_TIMEOUT,
    USER,
    WINDOW,
    CreatedMessage,
    StatusCallback,
    _message_type,
    _now,
    _parse_form,
    _sid,
)


class TwilioWebhooks:
    """The posting half, mixed into ``FakeTwilio``, whose ``__init__`` sets these attributes."""

    webhook_url: str
    creates: list[CreatedMessage]
    callbacks: list[StatusCallback]
    _public_bases: dict[str, str]
    _last_inbound: dict[str, datetime]
    _tokens: dict[str, str]
    _tasks: set[asyncio.Task[None]]
    _one_at_a_time: asyncio.Lock
    _validator: RequestValidator

    # ---- inspection (the rest of it is FakeTwilio's) ----------------------------------------

    @property
    def messages(self) -> list[CreatedMessage]:
        """The accepted creates, in order."""
        return [message for message in self.creates if message.status == 201]

    # ---- status callbacks -------------------------------------------------------------------

    async def send_status(
        self, sid: str, status: str, error_code: int | None = None
    ) -> StatusCallback:
        """POST one more status callback for message ``sid`` now (duplicates, out of order...)."""
        message = next((message for message in self.messages if message.sid == sid), None)
        if message is None or message.status_callback is None:
            raise AssertionError(f"no accepted message {sid} with a StatusCallback")
        async with self._one_at_a_time:
            return await self._post_status(message, status, error_code)

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until every automatic status callback has been posted."""
        async with asyncio.timeout(timeout):
            while self._tasks:
                await asyncio.gather(*self._tasks)

    def _schedule_statuses(self, message: CreatedMessage) -> asyncio.Event:
        """Post the message's callbacks once the create's response is out (set the event)."""
        answered = asyncio.Event()
        statuses: list[tuple[str, int | None]] = (
            [("sent", None), ("delivered", None)] if self._deliverable(message)
            else [("failed", OUTSIDE_WINDOW)])
        task = asyncio.create_task(self._post_statuses(message, statuses, answered))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return answered

    async def _post_statuses(
        self, message: CreatedMessage, statuses: list[tuple[str, int | None]],
        answered: asyncio.Event,
    ) -> None:
        await answered.wait()
        async with self._one_at_a_time:
            for status, error_code in statuses:
                await self._post_status(message, status, error_code)

    async def _post_status(
        self, message: CreatedMessage, status: str, error_code: int | None
    ) -> StatusCallback:
        assert message.sid is not None and message.status_callback is not None
        params = {
            "ChannelPrefix": "whatsapp", "ApiVersion": API_VERSION, "MessageStatus": status,
            "SmsSid": message.sid, "SmsStatus": status, "ChannelInstallSid": CHANNEL_INSTALL_SID,
            "To": message.to, "From": message.from_ or BOT_NUMBER, "MessageSid": message.sid,
            "AccountSid": ACCOUNT_SID, "ChannelToAddress": message.to.removeprefix("whatsapp:"),
        }
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        try:
            answered: int | None = (await self._post(message.status_callback, params)).status_code
        except httpx.TransportError:
            answered = None
        callback = StatusCallback(message.sid, status, error_code, message.status_callback,
                                  params, answered, _now())
        self.callbacks.append(callback)
        return callback

    def _deliverable(self, message: CreatedMessage) -> bool:
        """Templates always; free-form text within 24 hours of the user's last message."""
        last = self._last_inbound.get(message.to)
        return message.content_sid is not None or (
            last is not None and message.at - last <= WINDOW)

    # ---- inbound webhooks -------------------------------------------------------------------

    async def send_inbound(
        self, from_: str = USER, body: str = "", *, message_sid: str | None = None,
        profile_name: str = "Ana", button_payload: str | None = None,
        button_text: str | None = None, media: Sequence[tuple[str, str]] = (),
        location: tuple[float, float] | None = None, referral: Mapping[str, str] | None = None,
        extra: Mapping[str, str] | None = None, signature: str | None = None,
        signed: bool = True,
    ) -> httpx.Response:
        """POST a user's WhatsApp message to ``webhook_url`` with Twilio's fields and headers.

        ``media`` holds (url, content type) pairs; ``referral`` the ``Referral*`` fields of a
        click-to-WhatsApp ad; ``extra`` any other field (it overrides). Reusing a
        ``message_sid`` is Twilio's retry (same idempotency token). ``signature`` is sent as is;
        ``signed=False`` sends none. Only a correctly signed post opens the 24-hour window:
        the others stand for requests that did not come from Twilio.
        """
        if not self.webhook_url:
            raise AssertionError("set webhook_url to the bot's public /webhooks/whatsapp URL")
        sid = message_sid or _sid("MM" if media else "SM")
        kind = _message_type(media, location, button_payload)
        form = {
            "SmsMessageSid": sid, "NumMedia": str(len(media)), "ProfileName": profile_name,
            "MessageType": kind, "SmsSid": sid, "WaId": from_.removeprefix("whatsapp:+"),
            "SmsStatus": "received", "Body": body or button_text or "", "To": BOT_NUMBER,
            "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid,
            "AccountSid": ACCOUNT_SID, "From": from_, "ApiVersion": API_VERSION,
        }
        for index, (url, content_type) in enumerate(media):
            form[f"MediaUrl{index}"], form[f"MediaContentType{index}"] = url, content_type
        if location is not None:
            form["Latitude"], form["Longitude"] = (str(degrees) for degrees in location)
        if button_payload is not None:
            form["ButtonPayload"] = button_payload
        if button_text is not None:
            form["ButtonText"] = button_text
        form |= {**(referral or {}), **(extra or {})}
        headers = {"I-Twilio-Idempotency-Token": self._tokens.setdefault(sid, str(uuid.uuid4()))}
        if not signed:
            return await self._post(self.webhook_url, form, headers, sign=False)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
            return await self._post(self.webhook_url, form, headers, sign=False)
        self._last_inbound[from_] = _now()
        return await self._post(self.webhook_url, form, headers)

    async def post_raw(
        self, path: str, content: bytes, headers: Mapping[str, str]
    ) -> httpx.Response:
        """POST ``content`` as is to ``path`` on the bot's public host (mapped), for hostile
        bodies. Without an ``X-Twilio-Signature`` in ``headers`` it is signed over the form
        Starlette parses from ``content``, when the Content-Type is a form and it parses;
        otherwise it goes unsigned."""
        url = urljoin(self.webhook_url, path)
        sent = httpx.Headers(headers)
        if "X-Twilio-Signature" not in sent and (
                form := await _parse_form(content, sent)) is not None:
            sent["X-Twilio-Signature"] = self._validator.compute_signature(url, form)
        async with httpx.AsyncClient(trust_env=False, timeout=TWILIO_TIMEOUT) as client:
            return await client.post(self._local(url), content=content, headers=sent)

    async def _post(
        self, url: str, form: dict[str, str], headers: Mapping[str, str] | None = None, *,
        sign: bool = True,
    ) -> httpx.Response:
        """POST ``form`` as Twilio does, signed for the public ``url``, to where it maps."""
        sent = {"User-Agent": "TwilioProxy/1.1", **(headers or {})}
        if sign:
            sent["X-Twilio-Signature"] = self._validator.compute_signature(url, form)
        async with httpx.AsyncClient(trust_env=False, timeout=TWILIO_TIMEOUT) as client:
            return await client.post(self._local(url), data=form, headers=sent)

    def _local(self, url: str) -> str:
        for public, local in self._public_bases.items():
            if url == public or url.startswith((f"{public}/", f"{public}?")):
                return local + url[len(public):]
        return url
