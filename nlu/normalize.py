"""Normalisation of Albanian/English input: the same for training and for parsing.

:func:`fold` makes text comparable (case, diacritics ë→e ç→c, punctuation, emoji, spaces).
:func:`normalize` goes further for the classifier: letters held down ("pleeeas") are shortened,
and common chat and Gheg spellings are mapped to one form, so that "flm", "falemnderit" and
"faleminderit" look alike to it.
"""

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF], None
)
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_HELD_VOWEL = re.compile(r"([aeiouy])\1+")
_HELD_CONSONANT = re.compile(r"([^aeiouy\d\s])\1{2,}")

SPELLINGS = {
    "flm": "faleminderit", "falemnderit": "faleminderit", "thnx": "thanks", "thx": "thanks",
    "pls": "please", "plz": "please", "nqs": "nese", "nqse": "nese", "q": "qe", "xh": "xhan",
    "okej": "ok", "oki": "ok", "okay": "ok", "sdi": "s di", "spo": "s po", "sdua": "s dua",
    "sdo": "s do", "ska": "s ka", "sjam": "s jam", "skam": "s kam", "tn": "tani", "tan": "tani",
    "tash": "tani", "tashi": "tani", "cfar": "cfare", "cka": "cfare", "ca": "cfare",
    "qka": "cfare", "shum": "shume", "shme": "shume", "mir": "mire", "dmth": "domethene",
    "du": "dua", "dum": "dua", "kom": "kam", "kena": "kemi", "jom": "jam", "jena": "jemi",
    "osht": "eshte", "asht": "eshte", "o": "eshte", "ish": "ishte", "qysh": "si", "qyshe": "si",
    "kqyr": "shiko", "ktu": "ketu", "nji": "nje", "ni": "nje", "najsen": "dicka",
    "najsend": "dicka", "diqka": "dicka", "kon": "ishte", "bo": "bere", "bajne": "bejne",
    "mu": "me", "m": "me", "t": "te", "n": "ne", "mo": "me", "ma": "me", "mas": "pas",
    "mesu": "mesuar", "msu": "mesuar", "msue": "mesuar", "punu": "punuar", "punue": "punuar",
    "shku": "shkuar", "shkue": "shkuar", "gjet": "gjetur", "gjete": "gjetur", "gjetun": "gjetur",
    "fol": "folur", "fole": "folur", "marr": "marre", "iku": "ikur", "ike": "ikur",
    "lek": "leke", "lekt": "leket", "pare": "para", "paret": "parate",
}
"""One form for words young people spell many ways; keys and values are already folded."""


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


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """A folded word with held letters shortened and its spelling variant mapped."""
    word = _HELD_CONSONANT.sub(r"\1\1", _HELD_VOWEL.sub(r"\1", word))
    return SPELLINGS.get(word, word)


def normalize(text: str) -> str:
    """The classifier's view of a message."""
    return " ".join(normalize_word(word) for word in fold(text).split())
