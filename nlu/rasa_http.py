"""``NLU_BACKEND=rasa``: ask a Rasa server's ``POST /model/parse``; on any failure, ask the
embedded classifier instead, so a Rasa outage never leaves a young person without an answer.

Rasa's answer gets our gazetteer entities too: a Rasa model may miss "Krumë" or give its value
as written, while the rest of the bot expects the contract's values (``has``, ``DE``, ``ict``).
Where both found something on the same characters, the gazetteer's entity is kept.
"""

import logging

import httpx

from nlu.base import IntentScore, Parse, Understander
from nlu.classifier import MAX_CHARS
from nlu.entities import EntityExtractor
from nlu.training_data import Entity

log = logging.getLogger("youthbot.nlu")

TIMEOUT_SECONDS = 2.0


class RasaHttpNLU:
    def __init__(
        self, base_url: str, fallback: Understander, timeout: float = TIMEOUT_SECONDS,
        transport: httpx.AsyncBaseTransport | None = None,
        extractor: EntityExtractor | None = None,
    ) -> None:
        self._extractor = extractor if extractor is not None else EntityExtractor.from_file()
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )
        self._fallback = fallback

    async def parse(self, text: str) -> Parse:
        try:
            response = await self._client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            parse = from_rasa(text, response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            log.warning("rasa unavailable, using the embedded classifier",
                        extra={"fields": {"error": type(error).__name__}})
            return await self._fallback.parse(text)
        return with_gazetteer(parse, self._extractor.extract(text[:MAX_CHARS]))

    async def close(self) -> None:
        await self._client.aclose()


def from_rasa(text: str, answer: dict) -> Parse:  # type: ignore[type-arg]
    """A Rasa parse answer as our :class:`Parse`; malformed answers raise KeyError/TypeError."""
    intent = answer["intent"]
    entities = tuple(
        Entity(str(e["entity"]), str(e.get("value", "")), int(e["start"]), int(e["end"]))
        for e in answer.get("entities", [])
    )
    ranking = tuple(
        IntentScore(str(s["name"]), float(s["confidence"]))
        for s in answer.get("intent_ranking", [])
    )
    top = IntentScore(str(intent["name"]), float(intent["confidence"]))
    return Parse(text=text, intent=top, entities=entities, ranking=ranking or (top,))


def with_gazetteer(parse: Parse, found: tuple[Entity, ...]) -> Parse:
    """Rasa's entities and the gazetteer's, in text order; on overlapping spans, the
    gazetteer's (its values are the normalised ones the contract names)."""
    kept = [e for e in parse.entities if not any(_overlap(e, g) for g in found)]
    merged = tuple(sorted([*kept, *found], key=lambda e: (e.start, e.end)))
    return Parse(text=parse.text, intent=parse.intent, entities=merged, ranking=parse.ranking)


def _overlap(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end
