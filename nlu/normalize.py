"""Normalisation of Albanian/English input for matching: the same for training and parsing."""

import re
import unicodedata

_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF], None
)
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_invisible(text: str) -> str:
    """Remove NUL and other control characters and zero-width marks; keep newlines and tabs."""
    text = text.translate(_INVISIBLE)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def fold(text: str) -> str:
    """Lower case, no diacritics (ë→e, ç→c), no punctuation or emoji, single spaces."""
    text = strip_invisible(text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()
