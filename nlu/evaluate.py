"""Evaluation on a Rasa YAML file, reported like Rasa's ``intent_report.json`` and
``<extractor>_report.json`` (entities)."""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sklearn.metrics import classification_report

from nlu.base import SAFETY_INTENTS, Parse
from nlu.training_data import Entity, Example

MICRO = "micro avg"


def intent_report(
    examples: Sequence[Example], parse: Callable[[str], Parse],
    parses: Sequence[Parse] | None = None,
) -> dict[str, Any]:
    """Per intent ``precision``/``recall``/``f1-score``/``support`` and ``confused_with``;
    ``accuracy``, ``macro avg``, ``weighted avg``; and every misclassified example.

    ``parses``, when given, are the answers already computed for ``examples`` (in order)."""
    truth = [e.intent for e in examples]
    parses = list(parses) if parses is not None else [parse(e.text) for e in examples]
    predicted = [p.intent.name for p in parses]
    report: dict[str, Any] = classification_report(
        truth, predicted, output_dict=True, zero_division=0
    )
    for intent in set(truth):
        confusions = Counter(p for t, p in zip(truth, predicted, strict=True) if t == intent and p != intent)
        report[intent]["confused_with"] = dict(confusions.most_common(3))
    report["misclassified"] = [
        {"text": e.text, "intent": e.intent,
         "intent_prediction": {"name": p.intent.name, "confidence": p.intent.confidence}}
        for e, p in zip(examples, parses, strict=True)
        if p.intent.name != e.intent
    ]
    report["safety_recall"] = safety_recall(truth, predicted)
    return report


def safety_recall(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """How many urgent-help and smuggling messages got one of those two intents."""
    danger = [p for t, p in zip(truth, predicted, strict=True) if t in SAFETY_INTENTS]
    return sum(p in SAFETY_INTENTS for p in danger) / len(danger) if danger else 1.0


def entity_report(examples: Sequence[Example], parses: Sequence[Parse]) -> dict[str, Any]:
    """Per entity type and ``micro avg``: ``precision``, ``recall``, ``f1-score``, ``support``
    (the shape of Rasa's entity report), and every message whose entities were not all right.

    Each message counts each (type, value) once, as the bot acts on values: a found entity is
    right when the message's annotations have its type and value, whatever its span and however
    often it is named ("recepsioniste në një hotel" is one ``hospitality``). ``support`` is the
    number of annotated (message, type, value) of that type."""
    counts: dict[str, Counter[str]] = {}
    errors: list[dict[str, Any]] = []
    for example, parse in zip(examples, parses, strict=True):
        gold = Counter(set(_keys(example.entities)))
        found = Counter(set(_keys(parse.entities)))
        for key in gold | found:
            tally = counts.setdefault(key[0], Counter())
            hit = min(gold[key], found[key])
            tally["tp"] += hit
            tally["fn"] += gold[key] - hit
            tally["fp"] += found[key] - hit
        if gold != found:
            errors.append({
                "text": example.text,
                "entities": [{"entity": k, "value": v} for k, v in sorted(gold.elements())],
                "predicted": [{"entity": k, "value": v} for k, v in sorted(found.elements())],
            })
    report: dict[str, Any] = {name: _scores(counts[name]) for name in sorted(counts)}
    report[MICRO] = _scores(sum(counts.values(), Counter()))
    report["errors"] = errors
    return report


def _keys(entities: Iterable[Entity]) -> list[tuple[str, str]]:
    return [(e.entity, e.value) for e in entities]


def _scores(tally: Counter[str]) -> dict[str, float | int]:
    tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1-score": f1, "support": tp + fn}
