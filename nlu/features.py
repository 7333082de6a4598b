"""The classifier's features: character n-grams inside words and across them, and words.

The same plain functions serve scikit-learn at training time and the bot at parse time, so the
running bot needs neither scikit-learn nor SciPy in memory.
"""

import re

CHAR_RANGE = (2, 5)
_WORD = re.compile(r"\w+")


def char_ngrams(text: str) -> list[str]:
    """Character 2- to 5-grams of each word padded with spaces ("pune" → " p", " pu", …)."""
    low, high = CHAR_RANGE
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def phrase_ngrams(text: str) -> list[str]:
    """Character 3- and 4-grams over the whole message, spaces included: they see where words
    meet ("me gj", "n ang"), which helps with glued or split words and short replies."""
    padded = f" {text} "
    return [padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)]


def word_ngrams(text: str) -> list[str]:
    words = _WORD.findall(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


ANALYZERS = (char_ngrams, word_ngrams, phrase_ngrams)
