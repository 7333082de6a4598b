"""The embedded NLU: intent and entities in this process, trained from the Rasa YAML data.

The trained model is kept on disk under a name derived from the data, so it is trained again
exactly when the data (or the model code) changes.
"""

import hashlib
import logging
import os
import pickle
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from nlu.base import Parse
from nlu.classifier import MAX_CHARS, IntentClassifier
from nlu.entities import EntityExtractor
from nlu.training_data import load_examples

log = logging.getLogger("youthbot.nlu")

MODEL_VERSION = "4"
DATA_DIR = Path(__file__).resolve().parent / "data"
TRAINING_FILES = (DATA_DIR / "nlu.yml",)
RANKING_SIZE = 10


class EmbeddedNLU:
    """:meth:`parse` answers like a Rasa server's /model/parse."""

    def __init__(self, classifier: IntentClassifier, extractor: EntityExtractor) -> None:
        self.classifier = classifier
        self.extractor = extractor

    def parse_now(self, text: str) -> Parse:
        ranking = self.classifier.rank(text)
        return Parse(
            text=text,
            intent=self.classifier.classify(ranking),
            entities=self.extractor.extract(text[:MAX_CHARS]),
            ranking=tuple(ranking[:RANKING_SIZE]),
        )

    async def parse(self, text: str) -> Parse:
        return self.parse_now(text)


def data_fingerprint(files: Iterable[Path]) -> str:
    """Changes whenever the training data or the model code version changes."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(model_dir: Path, files: Iterable[Path] = TRAINING_FILES) -> Path:
    return model_dir / f"nlu-{data_fingerprint(files)}.pickle"


def train(files: Sequence[Path] = TRAINING_FILES) -> IntentClassifier:
    from nlu import training  # scikit-learn is loaded only to train

    examples = [example for path in files for example in load_examples(path)]
    started = time.perf_counter()
    classifier = training.train(examples)
    log.info("nlu trained", extra={"fields": {
        "examples": len(examples), "seconds": round(time.perf_counter() - started, 1),
        "out_of_scope": classifier.thresholds.out_of_scope,
        "safety_floor": classifier.thresholds.safety_floor}})
    return classifier


def save(classifier: IntentClassifier, path: Path) -> None:
    """Write atomically, so a second process never loads half a model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        pickle.dump(classifier, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)


class ModelMissing(FileNotFoundError):
    """No model for the current data, and training was not allowed."""


def load_or_train(
    model_dir: Path, files: Sequence[Path] = TRAINING_FILES, *, train_if_missing: bool = True,
) -> EmbeddedNLU:
    """The model for the current data: loaded if trained before, else trained and saved now
    (or :class:`ModelMissing` without ``train_if_missing``).

    The file is one this program wrote into its own model folder; nothing else is unpickled.
    """
    path = model_path(model_dir, files)
    if path.exists():
        with path.open("rb") as handle:
            classifier = pickle.load(handle)  # noqa: S301 - our own file, see docstring
    elif not train_if_missing:
        raise ModelMissing(str(path))
    else:
        classifier = train(files)
        save(classifier, path)
    return EmbeddedNLU(classifier, EntityExtractor.from_file())
