"""How a typed message fills a question: the message as the router read it, and the
interpreters a flow's steps declare (the slot mappings of a Rasa form).

An interpreter looks at one part of a message: a command word (``command``), a number that is
none of the offered choices (``number``), the words with what the NLU understood (``text``), or
a lone short word before any topic is read into it (``short``).
It returns :class:`Fill` (the answer), :class:`Retry` (an answer of the right kind that cannot
be used, like an age of 200 or half a phone number: ask again) or None (not for it).
"""

import re
from dataclasses import dataclass

from bot.messages import Choice
from nlu.base import Parse, Understander
from nlu.normalize import fold

NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")
"""A message that is only a number: the number of an offered choice (or an age)."""
_DIGITS = re.compile(r"\b(\d{1,3})\b")
_PHONE_ALBANIA = re.compile(r"^(?:\+355|00355|0)(6[6-9]\d{7}|[2-58]\d{6,7})$")
"""A mobile (06x, 9 digits after the 0) or a landline (area code and number)."""
_PHONE_ABROAD = re.compile(r"^(?:\+|00)(?!355)([1-9]\d{7,14})$")
YES, NO = "yes", "no"
"""The command words of keywords.yml that answer a yes/no question."""
SHORT_WORD = re.compile(r"^[^\W\d_]{1,3}$")
"""A lone word of at most three letters ("pa", "ne", "hmm"): too short to be about a topic."""


class Reading:
    """One text message as the router reads it; the NLU is asked at most once, and only when
    something needs it (``parsed`` is what it said, if it was asked)."""

    def __init__(
        self, text: str, command: str | None, offered: tuple[Choice, ...], nlu: Understander,
    ) -> None:
        self.text = text
        self.folded = fold(text)
        self.command = command
        self.offered = offered
        self.parsed: Parse | None = None
        self._nlu = nlu
        found = NUMBER.match(self.folded)
        self.number = int(found.group(1)) if found else None

    def picked(self) -> Choice | None:
        """The offered choice this message names by its number or its label."""
        if self.number is not None:
            in_range = 1 <= self.number <= len(self.offered)
            return self.offered[self.number - 1] if in_range else None
        return next((c for c in self.offered if self.folded and fold(c.label) == self.folded),
                    None)

    async def parse(self) -> Parse:
        if self.parsed is None:
            self.parsed = await self._nlu.parse(self.text)
        return self.parsed


@dataclass(frozen=True)
class Fill:
    value: str


@dataclass(frozen=True)
class Retry:
    """Of the right kind, but no answer: the question is asked again, with its hint."""


Result = Fill | Retry | None


class Interpreter:
    """Reads nothing; each kind below reads one or more parts of a message."""

    def command(self, command: str) -> Fill | None:
        return None

    def number(self, number: int) -> Result:
        return None

    def text(self, reading: Reading, parse: Parse) -> Result:
        return None

    def short(self, reading: Reading) -> Result:
        """Read before any topic the NLU finds in the message (only urgent help wins)."""
        return None


@dataclass(frozen=True)
class YesNo(Interpreter):
    """Yes or no, as a command word ("po", "jo", "kurrsesi") or as the NLU's affirm/deny when it
    is at least ``min_confidence`` sure; ``yes``/``no`` are the step's option values. A lone
    short word that is neither ("pa") asks again: it opens no page while the question waits."""

    yes: str = YES
    no: str = NO
    min_confidence: float = 0.0

    def command(self, command: str) -> Fill | None:
        if command in (YES, NO):
            return Fill(self.yes if command == YES else self.no)
        return None

    def text(self, reading: Reading, parse: Parse) -> Result:
        intent = parse.intent
        if intent.name in ("affirm", "deny") and intent.confidence >= self.min_confidence:
            return Fill(self.yes if intent.name == "affirm" else self.no)
        return None

    def short(self, reading: Reading) -> Result:
        return Retry() if SHORT_WORD.match(reading.folded) else None


@dataclass(frozen=True)
class EntityValue(Interpreter):
    """The first value the NLU found of an entity ("jam nga Krumë": municipality ``has``)."""

    entity: str

    def text(self, reading: Reading, parse: Parse) -> Result:
        values = parse.entity_values().get(self.entity)
        return Fill(values[0]) if values else None


AGE_BANDS = (("u16", 15), ("16_17", 17), ("18_24", 24), ("25_29", 29), ("30p", 120))
"""The age question's answers, each with the oldest age in it. Under 16, consent needs a parent
or guardian (content-facts-2.md §9): the first band ends at 15. Referrals stored before held
``u15`` and ``15_17``; those codes keep their labels (:data:`bot.flows.handoff.AGE_LABELS`)."""


def age_band(age: int) -> str | None:
    """The band of an age; None for what cannot be an age."""
    if not 5 <= age <= 120:
        return None
    return next(band for band, oldest in AGE_BANDS if age <= oldest)


@dataclass(frozen=True)
class AgeBand(Interpreter):
    """An age, alone ("17") or in words ("jam 17 vjec"), as its band."""

    def number(self, number: int) -> Result:
        band = age_band(number)
        return Fill(band) if band else Retry()

    def text(self, reading: Reading, parse: Parse) -> Result:
        digits = _DIGITS.search(reading.text)
        return self.number(int(digits.group(1))) if digits else None


def phone_number(text: str) -> str | None:
    """An Albanian number as +355…, or an international one as +…; None otherwise."""
    digits = re.sub(r"[\s\-().]", "", text)
    if found := _PHONE_ALBANIA.match(digits):
        return "+355" + found.group(1)
    if found := _PHONE_ABROAD.match(digits):
        return "+" + found.group(1)
    return None


@dataclass(frozen=True)
class PhoneNumber(Interpreter):
    """A phone number, written any usual way, as +355… (or +… abroad)."""

    def text(self, reading: Reading, parse: Parse) -> Result:
        number = phone_number(reading.text)
        return Fill(number) if number else Retry()


@dataclass(frozen=True)
class FreeText(Interpreter):
    """Their own words, up to ``max_length`` characters; nothing at all asks again."""

    max_length: int

    def text(self, reading: Reading, parse: Parse) -> Result:
        words = reading.text.strip()
        return Fill(words[: self.max_length]) if words else Retry()
