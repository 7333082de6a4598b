"""What understanding a message yields, the same whichever backend produced it."""

from dataclasses import dataclass, field
from typing import Any, Protocol

from nlu.training_data import Entity

INTENTS = (
    "greet", "goodbye", "thanks", "affirm", "deny", "help", "trainings", "jobs", "business",
    "legal_migration", "smuggling_risk", "urgent_help", "talk_to_human", "delete_data",
    "unsubscribe", "change_language", "out_of_scope",
)
OUT_OF_SCOPE = "out_of_scope"
URGENT_INTENT = "urgent_help"
SAFETY_INTENTS = (URGENT_INTENT, "smuggling_risk")
"""A missed cry for help costs more than a false alarm: these win over a close rival."""


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True)
class Parse:
    text: str
    intent: IntentScore
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    ranking: tuple[IntentScore, ...] = field(default_factory=tuple)

    def entity_values(self) -> dict[str, list[str]]:
        """Each entity's values, e.g. {"country": ["DE"]}."""
        found: dict[str, list[str]] = {}
        for entity in self.entities:
            found.setdefault(entity.entity, []).append(entity.value)
        return found

    def as_rasa(self) -> dict[str, Any]:
        """Shaped like the answer of a Rasa server's ``POST /model/parse``."""
        return {
            "text": self.text,
            "intent": {"name": self.intent.name, "confidence": self.intent.confidence},
            "entities": [
                {"entity": e.entity, "value": e.value, "start": e.start, "end": e.end,
                 "extractor": "gazetteer"}
                for e in self.entities
            ],
            "intent_ranking": [{"name": s.name, "confidence": s.confidence} for s in self.ranking],
        }


class Understander(Protocol):
    async def parse(self, text: str) -> Parse: ...
