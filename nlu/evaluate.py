"""Evaluation on a Rasa YAML file, reported like Rasa's ``intent_report.json``."""

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sklearn.metrics import classification_report

from nlu.base import SAFETY_INTENTS, Parse
from nlu.training_data import Example


def intent_report(examples: Sequence[Example], parse: Callable[[str], Parse]) -> dict[str, Any]:
    """Per intent ``precision``/``recall``/``f1-score``/``support`` and ``confused_with``;
    ``accuracy``, ``macro avg``, ``weighted avg``; and every misclassified example."""
    truth = [e.intent for e in examples]
    parses = [parse(e.text) for e in examples]
    predicted = [p.intent.name for p in parses]
    report: dict[str, Any] = classification_report(
        truth, predicted, output_dict=True, zero_division=0
    )
    for intent in set(truth):
        confusions = Counter(p for t, p in zip(truth, predicted) if t == intent and p != intent)
        report[intent]["confused_with"] = dict(confusions.most_common(3))
    report["misclassified"] = [
        {"text": e.text, "intent": e.intent,
         "intent_prediction": {"name": p.intent.name, "confidence": p.intent.confidence}}
        for e, p in zip(examples, parses)
        if p.intent.name != e.intent
    ]
    report["safety_recall"] = safety_recall(truth, predicted)
    return report


def safety_recall(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """How many urgent-help and smuggling messages got one of those two intents."""
    danger = [p for t, p in zip(truth, predicted) if t in SAFETY_INTENTS]
    return sum(p in SAFETY_INTENTS for p in danger) / len(danger) if danger else 1.0
