"""Intent probabilities for one message, from plain arrays: fast, and light in memory.

The numbers come from :mod:`nlu.training` (TF-IDF features, a linear SVM, a softmax whose
temperature was fitted on held-out scores). Parsing one short message is a few dictionary
look-ups and a small matrix product: well under a millisecond.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np

from nlu.base import OUT_OF_SCOPE, SAFETY_INTENTS, IntentScore
from nlu.features import ANALYZERS
from nlu.normalize import normalize

MAX_CHARS = 2000
"""Only the start of a very long message is read: intent lives there, and parsing stays fast."""


@dataclass(frozen=True)
class Thresholds:
    out_of_scope: float
    """Below this confidence, the honest answer is "I did not understand"."""
    safety_floor: float
    """A danger intent (urgent help, smuggling) this likely wins over any other."""


class IntentClassifier:
    def __init__(
        self, labels: list[str], vocabularies: list[dict[str, int]], idf: np.ndarray,
        weights: np.ndarray, bias: np.ndarray, thresholds: Thresholds,
    ) -> None:
        """``vocabularies[k]`` maps the k-th analyzer's features to rows of ``weights``."""
        self.labels = labels
        self.thresholds = thresholds
        self._vocabularies = vocabularies
        self._idf = idf
        self._weights = weights
        self._bias = bias

    def probabilities(self, text: str) -> np.ndarray:
        normalized = normalize(text[:MAX_CHARS])
        scores = self._bias.astype(np.float64)
        for analyze, vocabulary in zip(ANALYZERS, self._vocabularies, strict=True):
            counts = Counter(
                row for feature in analyze(normalized)
                if (row := vocabulary.get(feature)) is not None
            )
            if not counts:
                continue
            rows = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            values = tf * self._idf[rows]
            scores += (values / np.linalg.norm(values)) @ self._weights[rows]
        return softmax(scores)

    def rank(self, text: str) -> list[IntentScore]:
        probabilities = self.probabilities(text)
        order = np.argsort(probabilities)[::-1]
        return [IntentScore(self.labels[i], float(probabilities[i])) for i in order]

    def classify(self, ranking: list[IntentScore]) -> IntentScore:
        return decide(ranking, self.thresholds)


def decide(ranking: list[IntentScore], thresholds: Thresholds) -> IntentScore:
    top = ranking[0]
    danger = next((s for s in ranking if s.name in SAFETY_INTENTS), None)
    if danger is not None and danger.confidence >= thresholds.safety_floor:
        return danger
    if top.confidence < thresholds.out_of_scope:
        return IntentScore(OUT_OF_SCOPE, round(1.0 - top.confidence, 4))
    return top


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)
