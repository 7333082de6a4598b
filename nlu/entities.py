"""Municipality, country, sector and departure from gazetteers, forgiving Albanian endings and
typos.

"Gjermaninë", "gjermanis" and "Gjermni" all give ``country=DE``; "Krumë" gives
``municipality=has``; "Mbretërisë së Bashkuar" gives ``country=GB``. Some words are an entity
only near a cue (``when_near`` in the gazetteer file): "anglisht" is the sector ``languages``
in "kurs anglisht" but not in "shkruaj anglisht", and "nesër" is a departure in "nisem nesër"
but not in "flasim nesër". Spans are character offsets in the text as the user wrote it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from nlu.normalize import fold
from nlu.training_data import Entity

GAZETTEERS = Path(__file__).resolve().parent / "gazetteers.yml"
RULE_KEYS = ("ignore", "when_near")
"""Top-level keys of the gazetteer file that are rules, not entity types."""
_WORD = re.compile(r"\w+", re.UNICODE)
_ENDINGS = (
    "eje", "ise", "ine", "ite", "eve", "ave", "it", "in", "ne", "se", "es", "et", "ve", "je",
    "ja", "ia", "en", "a", "e", "i", "n", "s", "t",
)
"""Albanian definite and case endings, longest first ("Kukësit", "Gjermanisë", "Tropojën")."""
_LINKS = {"e": "e", "se": "e", "te": "e", "i": "e", "ne": "e"}
"""The little words inside names ("Mbretëria e Bashkuar", "Mbretërisë së Bashkuar")."""
MAX_WORDS = 200
WINDOW = 3
FUZZY_MIN_LENGTH = 6
FUZZY_CUTOFF = 88
FUZZY_CACHE = 50_000
"""Words already compared with every term keep their answer (most words come back often)."""
WORD_CACHE = 65_536
"""Folded words, stems and ending-less forms are pure functions of short strings: the same
few thousand words come back in every message, so each is worked out once."""
Hit = tuple[str, str]


@dataclass(frozen=True)
class NearRule:
    """``terms`` give ``entity=value`` only with one of ``cues`` at most ``window`` words away
    (if there are cues) and none of ``not_near`` at most ``block`` words away. A cue ending in
    "*" is a prefix."""

    entity: str
    value: str
    terms: frozenset[str]
    cues: tuple[str, ...]
    not_near: tuple[str, ...]
    window: int
    block: int

    def applies(self, folded: list[str], first: int, last: int) -> bool:
        def near(words: tuple[str, ...], distance: int) -> bool:
            lo, hi = max(0, first - distance), min(len(folded), last + 1 + distance)
            around = folded[lo:first] + folded[last + 1 : hi]
            joined = f" {' '.join(around)} "
            return any(
                (w.endswith("*") and any(a.startswith(w[:-1]) for a in around))
                or (" " in w and f" {w} " in joined)
                or w in around
                for w in words
            )

        wanted = near(self.cues, self.window) if self.cues else True
        return wanted and not near(self.not_near, self.block)


class EntityExtractor:
    def __init__(self, gazetteer: dict[str, Any]) -> None:
        self._exact: dict[str, Hit] = {}
        self._cased: dict[str, Hit] = {}
        self._stems: dict[str, Hit] = {}
        self._ignored = {fold(t) for t in gazetteer.get("ignore", [])}
        self._rules: dict[str, NearRule] = {}
        for entity, values in gazetteer.items():
            if entity in RULE_KEYS:
                continue
            for value, terms in values.items():
                for term in terms:
                    self._add(term, (entity, str(value)))
        for spec in gazetteer.get("when_near", []):
            rule = _rule(spec)
            for term in rule.terms:
                self._rules[term] = rule
        self._fuzzy = [t for t in self._exact if len(t) >= FUZZY_MIN_LENGTH]
        self._fuzzy_seen: dict[str, Hit | None] = {}
        names = [t for t in (*self._exact, *self._rules, *self._ignored) if " " in t]
        self._starts = {n.split()[0] for n in names} | {stem(n.split()[0]) for n in names}
        """First words of the names of several words: other phrases are not looked up."""

    def _add(self, term: str, hit: Hit) -> None:
        if term.startswith("="):
            self._cased[term[1:]] = hit
            return
        folded = fold(term)
        self._exact[folded] = hit
        if " " in folded and all(len(w) >= 3 or w in _LINKS for w in folded.split()):
            self._stems[stem_key(folded)] = hit

    @classmethod
    def from_file(cls, path: Path = GAZETTEERS) -> "EntityExtractor":
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def extract(self, text: str) -> tuple[Entity, ...]:
        words = list(_WORD.finditer(text))[:MAX_WORDS]
        folded = [_fold_word(w.group()) for w in words]
        taken: set[int] = set()
        found: list[Entity] = []
        for size in range(WINDOW, 0, -1):
            for first in range(len(words) - size + 1):
                span = range(first, first + size)
                if taken.intersection(span):
                    continue
                if size > 1 and not self._may_start(folded[first]):
                    continue
                start, end = words[first].start(), words[first + size - 1].end()
                phrase = " ".join(folded[first : first + size])
                if phrase in self._ignored:
                    taken.update(span)
                    continue
                hit = self._near(phrase, folded, first, first + size - 1)
                if hit is None:
                    hit = self._lookup(phrase, text[start:end], fuzzy=size == 1)
                if hit is not None:
                    if hit[0]:
                        found.append(Entity(hit[0], hit[1], start, end))
                    taken.update(span)
        return tuple(sorted(found, key=lambda e: e.start))

    def _may_start(self, word: str) -> bool:
        return word in self._starts or stem(word) in self._starts

    def _near(self, phrase: str, folded: list[str], first: int, last: int) -> Hit | None:
        """A context-bound term: its entity if the context says so, else ("", "") so that
        the words are not read as anything else ("italisht" is not Italy). A plain term wins
        over a context-bound one found only by cutting an ending ("germania" is not "german")."""
        for candidate in _without_endings(phrase):
            if candidate in self._exact:
                return None
            rule = self._rules.get(candidate)
            if rule is not None:
                return (rule.entity, rule.value) if rule.applies(folded, first, last) else ("", "")
        return None

    def _lookup(self, phrase: str, original: str, fuzzy: bool) -> Hit | None:
        """Exact, then without an ending, then (single words only) the closest known term."""
        if original in self._cased:
            return self._cased[original]
        if not phrase:
            return None
        for candidate in _without_endings(phrase):
            if candidate in self._exact:
                return self._exact[candidate]
        if " " in phrase:
            return self._stems.get(stem_key(phrase))
        if fuzzy and len(phrase) >= FUZZY_MIN_LENGTH and phrase not in self._ignored:
            return self._closest(phrase)
        return None

    def _closest(self, word: str) -> Hit | None:
        if word in self._fuzzy_seen:
            return self._fuzzy_seen[word]
        match = process.extractOne(word, self._fuzzy, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        hit = self._exact[match[0]] if match is not None else None
        if len(self._fuzzy_seen) >= FUZZY_CACHE:
            self._fuzzy_seen.clear()
        self._fuzzy_seen[word] = hit
        return hit


def _rule(spec: dict[str, Any]) -> NearRule:
    return NearRule(
        entity=str(spec["entity"]), value=str(spec["value"]),
        terms=frozenset(fold(t) for t in spec["terms"]),
        cues=tuple(fold(c) + ("*" if c.endswith("*") else "") for c in spec.get("cues", [])),
        not_near=tuple(fold(c) + ("*" if c.endswith("*") else "") for c in spec.get("not_near", [])),
        window=int(spec.get("window", 4)), block=int(spec.get("block", 2)),
    )


@lru_cache(maxsize=WORD_CACHE)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=WORD_CACHE)
def stem(word: str) -> str:
    """The word without its first (longest) ending that leaves at least three letters."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def stem_key(phrase: str) -> str:
    """A multi-word name compared word by word without endings: "mbreterise se bashkuar" and
    "mbreteria e bashkuar" give the same key."""
    return " ".join(_LINKS.get(w, stem(w)) for w in phrase.split())


@lru_cache(maxsize=WORD_CACHE)
def _without_endings(phrase: str) -> tuple[str, ...]:
    """The phrase, then the phrase without each ending that leaves at least three letters."""
    return (phrase, *(
        phrase[: -len(ending)]
        for ending in _ENDINGS
        if phrase.endswith(ending) and len(phrase) - len(ending) >= 3
    ))


@lru_cache(maxsize=8)
def entity_values(entity: str, path: Path = GAZETTEERS) -> tuple[str, ...]:
    """The values the gazetteer knows for one entity type, in file order (``sector`` →
    ``ict``, ``tourism``, …): the NLU contract's vocabulary, for whoever must speak it too."""
    gazetteer = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(str(value) for value in gazetteer.get(entity, {}))
