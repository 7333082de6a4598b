"""Us → Twilio: a reply as numbered text in pieces under 1,600 characters, or an approved
template; failures in the outbox's terms. What goes out when is the delivery policy's."""

import json

from aiohttp import ClientError
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.channels.numbered import render_numbered
from bot.channels.splitting import split_paragraphs
from bot.channels.twilio_http import close_client, make_client
from bot.delivery import Rejected, RetryLater, Unreachable
from bot.messages import Outbound

MAX_BODY = 1600
"""Twilio refuses a longer message body (error 21617)."""
MAX_VARIABLE = 1024
"""A template's text may not pass this (WhatsApp's limit on a template body)."""
UNREACHABLE = frozenset({"21211", "21610", "63003", "63024"})
"""Not a valid or reachable WhatsApp number, or the user opted out: stop writing to them."""


class TwilioSender:
    def __init__(
        self, account_sid: str, auth_token: str, number: str, api_base_url: str,
        status_callback: str,
    ) -> None:
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._number = number
        self._api_base_url = api_base_url
        self._status_callback = status_callback
        self._client: Client | None = None

    def open(self) -> None:
        """The REST client (its HTTP session needs the running event loop)."""
        self._client = make_client(self._account_sid, self._auth_token, self._api_base_url)

    async def close(self) -> None:
        if self._client is not None:
            await close_client(self._client)
            self._client = None

    async def send(self, address: str, reply: Outbound) -> str | None:
        """One reply, as numbered text in pieces under 1,600 characters; returns the last
        piece's SID (the one with status callbacks)."""
        sid = None
        pieces = split_paragraphs(render_numbered(reply), MAX_BODY)
        for number, piece in enumerate(pieces, 1):
            sid = await self._create(address, tracked=number == len(pieces), body=piece)
        return sid

    async def send_template(
        self, address: str, template: str, reply: Outbound | None = None
    ) -> str:
        """An approved template (a Content SID). With ``reply`` (an alert) its text is the
        template's variable ``1``, on one line as WhatsApp requires, and the message is
        tracked; without it (the "an answer waits" nudge) it is not."""
        if reply is None:
            return await self._create(address, tracked=False, content_sid=template)
        text = " ".join(reply.text.split())[:MAX_VARIABLE]
        return await self._create(address, tracked=True, content_sid=template,
                                  content_variables=json.dumps({"1": text}))

    async def _create(self, address: str, *, tracked: bool, **content: str) -> str:
        """One Twilio message (``tracked``: with status callbacks, for an outbox row's last
        piece); its failures in the outbox's terms, never with Twilio's text, which can quote
        the phone number."""
        assert self._client is not None, "open() first"
        try:
            message = await self._client.messages.create_async(
                from_=self._number, to=address,
                status_callback=self._status_callback if tracked else None, **content,
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
