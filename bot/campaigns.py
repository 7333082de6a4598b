"""Campaign link codes (1-64 of A-Z a-z 0-9 _ -) and the Telegram and WhatsApp links that
carry them."""

import re
import unicodedata
from urllib.parse import quote

from bot.i18n import N_

CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def campaign_code(name: str) -> str:
    """A link code from a campaign's name: "Postera Kukës 2026" → "postera_kukes_2026"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:64] or "campaign"


def campaign_code_ok(code: str) -> bool:
    return CODE.match(code) is not None


def telegram_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


WHATSAPP_GREETING = N_("campaign.whatsapp_greeting")
"""What a wa.me link has typed for the user, before the campaign tag."""
WHATSAPP_TAG = re.compile(r"\s*\(ref: ?([A-Za-z0-9_-]{1,64})\)\s*$")
"""How a campaign code rides in a wa.me link's prefilled text: "… (ref: postera_kukes_2026)"."""


def whatsapp_link(number: str, code: str, greeting: str) -> str:
    """A wa.me link that opens a chat with the bot, the greeting and the code already typed."""
    digits = re.sub(r"\D", "", number)
    return f"https://wa.me/{digits}?text={quote(f'{greeting} (ref: {code})')}"


def split_whatsapp_tag(text: str) -> tuple[str, str | None]:
    """The message without its campaign tag, and the tag's code (None when there is none)."""
    found = WHATSAPP_TAG.search(text)
    if found is None:
        return text, None
    return text[: found.start()], found.group(1)
