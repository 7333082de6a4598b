"""Municipality, country and sector from gazetteers, forgiving Albanian endings and typos.

"Gjermaninë", "gjermanis" and "Gjermni" all give ``country=DE``; "Krumë" gives
``municipality=has``. Spans are character offsets in the text as the user wrote it.
"""

import re
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from nlu.normalize import fold
from nlu.training_data import Entity

GAZETTEERS = Path(__file__).resolve().parent / "gazetteers.yml"
_WORD = re.compile(r"\w+", re.UNICODE)
_ENDINGS = ("ise", "ine", "it", "in", "ne", "se", "es", "ve", "ja", "ia", "a", "e", "i", "n", "s")
"""Albanian definite and case endings, longest first ("Kukësit", "Gjermanisë", "Tropojën")."""
MAX_WORDS = 200
WINDOW = 3
FUZZY_MIN_LENGTH = 6
FUZZY_CUTOFF = 85


class EntityExtractor:
    def __init__(self, gazetteer: dict[str, dict[str, list[str]]]) -> None:
        self._exact: dict[str, tuple[str, str]] = {}
        self._cased: dict[str, tuple[str, str]] = {}
        for entity, values in gazetteer.items():
            for value, terms in values.items():
                for term in terms:
                    if term.startswith("="):
                        self._cased[term[1:]] = (entity, str(value))
                    else:
                        self._exact[fold(term)] = (entity, str(value))
        self._fuzzy = [t for t in self._exact if len(t) >= FUZZY_MIN_LENGTH]

    @classmethod
    def from_file(cls, path: Path = GAZETTEERS) -> "EntityExtractor":
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def extract(self, text: str) -> tuple[Entity, ...]:
        words = list(_WORD.finditer(text))[:MAX_WORDS]
        folded = [fold(w.group()) for w in words]
        taken: set[int] = set()
        found: list[Entity] = []
        for size in range(WINDOW, 0, -1):
            for first in range(len(words) - size + 1):
                span = range(first, first + size)
                if taken.intersection(span):
                    continue
                start, end = words[first].start(), words[first + size - 1].end()
                phrase = " ".join(folded[first : first + size])
                hit = self._lookup(phrase, text[start:end], fuzzy=size == 1)
                if hit is not None:
                    found.append(Entity(hit[0], hit[1], start, end))
                    taken.update(span)
        return tuple(sorted(found, key=lambda e: e.start))

    def _lookup(self, phrase: str, original: str, fuzzy: bool) -> tuple[str, str] | None:
        """Exact, then without an ending, then (single words only) the closest known term."""
        if original in self._cased:
            return self._cased[original]
        if not phrase:
            return None
        for candidate in _without_endings(phrase):
            if candidate in self._exact:
                return self._exact[candidate]
        if fuzzy and len(phrase) >= FUZZY_MIN_LENGTH:
            match = process.extractOne(
                phrase, self._fuzzy, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if match is not None:
                return self._exact[match[0]]
        return None


def _without_endings(phrase: str) -> list[str]:
    """The phrase, then the phrase without each ending that leaves at least three letters."""
    candidates = [phrase]
    candidates += [
        phrase[: -len(ending)]
        for ending in _ENDINGS
        if phrase.endswith(ending) and len(phrase) - len(ending) >= 3
    ]
    return candidates
