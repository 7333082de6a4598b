"""Hypothesis strategies for what anyone on the internet can POST to a webhook: bodies of any
bytes, JSON of any shape, forms with any fields, and the headers that go with them.

Shared by the property tests of the Telegram and Twilio webhooks, and meant for every later
input that faces the internet (the web chat): a request is ``(headers, body)``; the callers add
the header a real platform would (a secret token, a signature) or a wrong one.
"""

import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

EXTREME_INTEGERS = st.sampled_from([2**31, 2**63, -(2**63), 10**30, -(10**30)])
"""Integers past what a platform sends (dates, ids) that parsers turn into overflows."""
JSON_SCALARS = st.none() | st.booleans() | st.integers() | EXTREME_INTEGERS | st.floats(allow_nan=False, allow_infinity=False) | st.text()
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)
"""Any JSON document (NaN and infinities left out: they are not JSON)."""

HEADER_VALUES = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80).map(str.strip)
"""What an HTTP header can carry on the wire (visible ASCII and inner spaces)."""

CONTENT_TYPES = st.sampled_from([
    "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data",
    "application/json; charset=utf-8", "application/x-www-form-urlencoded; charset=latin-1",
    "", "*/*", "application/octet-stream",
    ]) | HEADER_VALUES

FORM_FIELDS = st.dictionaries(st.text(max_size=20), st.text(max_size=60), max_size=8)

BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    FORM_FIELDS.map(lambda fields: urlencode(fields).encode()),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
)
"""A body of any kind: raw bytes, a JSON document, a form, text."""


def headers(secret_name: str, right_secret: str) -> st.SearchStrategy[dict[str, str]]:
    """A content type and the platform's header ``secret_name``: absent, wrong or right."""
    secret = st.one_of(st.none(), HEADER_VALUES, st.just(right_secret))
    return st.builds(_headers, st.just(secret_name), secret, CONTENT_TYPES)


def _headers(secret_name: str, secret: str | None, content_type: str) -> dict[str, str]:
    found = {"content-type": content_type} if content_type else {}
    if secret is not None:
        found[secret_name] = secret
    return found


def telegram_updates(update_ids: st.SearchStrategy[int]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects shaped like a Telegram Update (an ``update_id`` and one known field) whose
    contents are anything: what gets past the first check and into python-telegram-bot."""
    chat = st.fixed_dictionaries(
        {"id": st.integers() | EXTREME_INTEGERS, "type": st.sampled_from(["private", "group", "channel"]) | st.text()},
        optional={"title": JSON_VALUES},
    )
    message = st.fixed_dictionaries(
        {"message_id": st.integers() | JSON_VALUES,
         "date": st.integers() | EXTREME_INTEGERS | JSON_VALUES,
         "chat": chat | JSON_VALUES},
        optional={"text": st.text() | JSON_VALUES, "from": JSON_VALUES,
                  "photo": JSON_VALUES, "entities": JSON_VALUES},
    )
    field = st.sampled_from(["message", "edited_message", "callback_query", "my_chat_member",
                             "channel_post", "poll", "unknown_field"])
    return st.builds(lambda uid, name, content, extra: {"update_id": uid, name: content, **extra},
                     update_ids, field, message | JSON_VALUES,
                     st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=2))


WHATSAPP_ADDRESSES = st.from_regex(r"\Awhatsapp:\+[1-9][0-9]{7,12}\Z")


def whatsapp_forms() -> st.SearchStrategy[dict[str, str]]:
    """Fields Twilio could post for a WhatsApp message, each with any value: from a real
    sender and with a message id (so the bot takes it for a message), the rest anything."""
    return st.fixed_dictionaries(
        {"From": WHATSAPP_ADDRESSES, "MessageSid": st.from_regex(r"\ASM[0-9a-f]{32}\Z")},
        optional={"Body": st.text(max_size=300), "NumMedia": st.text(max_size=4),
                  "MediaContentType0": st.text(max_size=20), "ButtonPayload": st.text(max_size=70),
                  "Latitude": st.text(max_size=8), "ReferralSourceId": st.text(max_size=30),
                  "ProfileName": st.text(max_size=30)},
    )
