"""A fake Rasa server: ``POST /model/parse`` answering as Rasa 3 does, or failing on purpose."""

import asyncio
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class FakeRasa:
    intent: str = "jobs"
    confidence: float = 0.91
    status: int = 200
    delay: float = 0.0
    malformed: bool = False
    entities: list[dict[str, object]] | None = None
    """What the fake's model "found"; by default one municipality over the first 3 characters."""
    received: list[str] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/model/parse", self._parse, methods=["POST"])])

    async def _parse(self, request: Request) -> Response:
        text = (await request.json())["text"]
        self.received.append(text)
        await asyncio.sleep(self.delay)
        if self.status != 200:
            return JSONResponse({"error": "model not loaded"}, status_code=self.status)
        if self.malformed:
            return JSONResponse({"intent": "jobs"})
        return JSONResponse({
            "text": text,
            "intent": {"name": self.intent, "confidence": self.confidence},
            "entities": self.entities if self.entities is not None else [
                {"entity": "municipality", "value": "has", "start": 0, "end": 3,
                 "extractor": "DIETClassifier", "confidence_entity": 0.99}],
            "intent_ranking": [{"name": self.intent, "confidence": self.confidence},
                               {"name": "out_of_scope", "confidence": 1 - self.confidence}],
            "response_selector": {},
        })
