"""Twilio → us: signed form posts, and a user's message as the engine's ``Inbound``."""

import logging
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import Response
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.campaigns import CODE, split_whatsapp_tag
from bot.channels.http import read_body
from bot.messages import Inbound, Media

log = logging.getLogger("youthbot.whatsapp")

CHANNEL = "whatsapp"
MAX_FORM_BYTES = 64_000
"""A real webhook is a few kilobytes (its Body at most 1,600 characters)."""
ADDRESS = re.compile(r"^whatsapp:\+[1-9]\d{5,14}$")
FORM = "application/x-www-form-urlencoded"

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


class SignedForms:
    """Twilio's posts, checked against the auth token over our public URL (so validation
    holds behind a proxy)."""

    def __init__(self, auth_token: str, public_base_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self._public = public_base_url.rstrip("/")

    async def read(self, request: Request) -> ImmutableMultiDict[str, str] | Response:
        """The posted fields if Twilio signed them; else the answer to give."""
        body = await read_body(request, MAX_FORM_BYTES)
        if body is None:
            return Response(status_code=413)
        if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
            return Response(status_code=415)
        try:
            form = ImmutableMultiDict(parse_qsl(body.decode(), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            return Response(status_code=400)
        query = f"?{request.url.query}" if request.url.query else ""
        url = self._public + request.url.path + query
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self._validator.validate(url, form, signature):
            log.warning("bad twilio signature", extra={"fields": {"path": request.url.path}})
            return Response(status_code=403)
        return form


def twiml() -> Response:
    """Twilio's "nothing to add": replies go through the REST API."""
    return Response(str(MessagingResponse()), media_type="text/xml")
