"""Campaign link codes: what a Telegram deep link may carry (1-64 of A-Z a-z 0-9 _ -)."""

import re
import unicodedata

CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def campaign_code(name: str) -> str:
    """A link code from a campaign's name: "Postera Kukës 2026" → "postera_kukes_2026"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:64] or "campaign"


def campaign_code_ok(code: str) -> bool:
    return CODE.match(code) is not None


def telegram_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
