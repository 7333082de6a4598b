"""``NLU_BACKEND=rasa``: ask a Rasa server's ``POST /model/parse``; on any failure, ask the
embedded classifier instead, so a Rasa outage never leaves a young person without an answer."""

import logging

import httpx

from nlu.base import IntentScore, Parse, Understander
from nlu.training_data import Entity

log = logging.getLogger("youthbot.nlu")

TIMEOUT_SECONDS = 2.0


class RasaHttpNLU:
    def __init__(
        self, base_url: str, fallback: Understander, timeout: float = TIMEOUT_SECONDS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )
        self._fallback = fallback

    async def parse(self, text: str) -> Parse:
        try:
            response = await self._client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            return from_rasa(text, response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            log.warning("rasa unavailable, using the embedded classifier",
                        extra={"fields": {"error": type(error).__name__}})
            return await self._fallback.parse(text)

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
