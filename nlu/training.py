"""Training the intent classifier with scikit-learn (imported only when training).

Two thresholds are learnt from cross-validated probabilities on the training data, never the
test set: the safety floor is the highest that still recalls 97% of danger messages, and the
out-of-scope cut-off is the one that then gives the best macro-F1.
"""

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline, make_union
from sklearn.svm import LinearSVC

from nlu.base import SAFETY_INTENTS, IntentScore
from nlu.classifier import IntentClassifier, Thresholds, decide, softmax
from nlu.features import ANALYZERS
from nlu.normalize import normalize
from nlu.training_data import Example

SAFETY_RECALL = 0.97
SAFETY_WEIGHT = 1.5
"""Danger intents weigh more in training: missing one costs more than a false alarm."""
FOLDS = 5


def train(examples: Sequence[Example], seed: int = 0) -> IntentClassifier:
    texts = [normalize(e.text) for e in examples]
    intents = np.array([e.intent for e in examples], dtype=object)
    labels = sorted(set(intents))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    held_out = cross_val_predict(
        pipeline(labels, encoded=True), texts, intents, cv=folds, method="decision_function"
    )
    temperature = fit_temperature(held_out, np.searchsorted(labels, intents))
    thresholds = choose_thresholds(softmax(held_out / temperature), intents, labels)
    return compile_pipeline(pipeline(labels).fit(texts, intents), temperature, thresholds)


def pipeline(labels: list[str], encoded: bool = False) -> Pipeline:
    """TF-IDF over our analyzers and a linear SVM.

    ``cross_val_predict`` hands the SVM label indices, not names, hence ``encoded``.
    """
    weights = {
        (i if encoded else label): SAFETY_WEIGHT if label in SAFETY_INTENTS else 1.0
        for i, label in enumerate(labels)
    }
    features = make_union(*(TfidfVectorizer(analyzer=a, sublinear_tf=True) for a in ANALYZERS))
    return make_pipeline(features, LinearSVC(C=1.0, class_weight=weights))


def compile_pipeline(
    fitted: Pipeline, temperature: float, thresholds: Thresholds
) -> IntentClassifier:
    """The fitted pipeline's numbers as plain arrays (float32 weights: half the memory)."""
    union, svm = fitted.steps[0][1], fitted.steps[-1][1]
    vocabularies, offset = [], 0
    for _name, vectorizer in union.transformer_list:
        vocabularies.append({f: offset + int(i) for f, i in vectorizer.vocabulary_.items()})
        offset += len(vectorizer.vocabulary_)
    idf = np.concatenate([v.idf_ for _name, v in union.transformer_list])
    return IntentClassifier(
        labels=[str(c) for c in svm.classes_],
        vocabularies=vocabularies,
        idf=idf.astype(np.float32),
        weights=np.ascontiguousarray(svm.coef_.T / temperature, dtype=np.float32),
        bias=(svm.intercept_ / temperature).astype(np.float32),
        thresholds=thresholds,
    )


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature that makes held-out scores the best-calibrated probabilities."""
    def loss(temperature: float) -> float:
        probabilities = softmax(scores / temperature)[np.arange(len(truth)), truth]
        return float(-np.log(np.clip(probabilities, 1e-12, None)).mean())

    return float(minimize_scalar(loss, bounds=(0.01, 10.0), method="bounded").x)


def choose_thresholds(
    probabilities: np.ndarray, intents: np.ndarray, labels: list[str]
) -> Thresholds:
    rankings = [
        sorted((IntentScore(labels[j], float(p[j])) for j in range(len(labels))),
               key=lambda s: -s.confidence)
        for p in probabilities
    ]
    is_danger = np.isin(intents, SAFETY_INTENTS)
    floor = 0.5
    for candidate in np.arange(0.5, 0.04, -0.01):
        chosen = np.array([decide(r, Thresholds(0.0, float(candidate))).name for r in rankings])
        floor = float(candidate)
        if np.isin(chosen[is_danger], SAFETY_INTENTS).mean() >= SAFETY_RECALL:
            break
    best = (-1.0, 0.0)
    for cut in np.arange(0.0, 0.6, 0.02):
        decided = [decide(r, Thresholds(float(cut), floor)).name for r in rankings]
        best = max(best, (float(f1_score(intents, decided, average="macro")), float(cut)))
    return Thresholds(out_of_scope=round(best[1], 2), safety_floor=round(floor, 2))
