"""The embedded classifier trained on the project's data, as the bot uses it."""

import unicodedata
from pathlib import Path

import numpy as np
import pytest

from nlu.base import INTENTS
from nlu.classifier import softmax
from nlu.embedded import DATA_DIR, EmbeddedNLU, load_or_train, model_path
from nlu.evaluate import intent_report
from nlu.normalize import normalize
from nlu.training import compile_pipeline, pipeline
from nlu.training_data import load_examples

TEST_SET = load_examples(DATA_DIR / "test.yml")


@pytest.fixture(scope="module")
def nlu(nlu_model_dir: Path) -> EmbeddedNLU:
    return load_or_train(nlu_model_dir)


def without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_the_same_message_without_diacritics_gets_the_same_intent(nlu: EmbeddedNLU) -> None:
    with_marks = [e.text for e in TEST_SET if without_diacritics(e.text) != e.text]
    assert len(with_marks) > 50
    differ = [t for t in with_marks
              if nlu.parse_now(t).intent.name != nlu.parse_now(without_diacritics(t)).intent.name]
    assert differ == []


@pytest.mark.parametrize("text", [
    "", " ", "a" * 50_000, "😂🔥🙏🇦🇱", "1234567890", "\u200b\u200c", "Привет مرحبا 你好 pune",
    "x\x00y", "'; DROP TABLE users;--",
])
def test_any_input_gets_a_valid_parse(nlu: EmbeddedNLU, text: str) -> None:
    parse = nlu.parse_now(text)
    assert parse.intent.name in INTENTS
    assert 0.0 <= parse.intent.confidence <= 1.0
    confidences = [s.confidence for s in parse.ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert abs(sum(s.confidence for s in nlu.classifier.rank(text)) - 1.0) < 1e-6


def test_a_cry_for_help_is_recognised(nlu: EmbeddedNLU) -> None:
    for text in ("me kane marre pasaporten", "jam ne rrezik ndihme", "po me kercenojne"):
        assert nlu.parse_now(text).intent.name == "urgent_help", text
    assert nlu.parse_now("sa kushton me gomone per ne Angli").intent.name == "smuggling_risk"


PLAIN_OUT_OF_SCOPE = (
    "is it going to rain tomorrow?", "what's the weather like in Manchester today?",
    "do you think it will be hot in Greece next week?", "tell me a joke about boats",
    "a do bjere shi neser ne Kukes?", "sa eshte ora ne Gjermani?",
    "kush fitoi ndeshjen mbreme ne Itali?", "sa kushton pica ne Londer?",
)


@pytest.mark.parametrize("text", PLAIN_OUT_OF_SCOPE)
def test_the_safety_floor_leaves_plain_questions_out_of_scope(nlu: EmbeddedNLU, text: str) -> None:
    """A country, "tomorrow" or a boat in an everyday question is not a cry for help."""
    assert nlu.parse_now(text).intent.name == "out_of_scope"


def test_the_plain_questions_are_not_training_data() -> None:
    from nlu.embedded import TRAINING_FILES
    from nlu.normalize import fold

    trained = {fold(e.text) for path in TRAINING_FILES for e in load_examples(path)}
    assert [t for t in PLAIN_OUT_OF_SCOPE if fold(t) in trained] == []


@pytest.mark.parametrize("name", ["test.yml", "test_messy.yml"])
def test_the_held_out_sets_meet_the_bar(nlu: EmbeddedNLU, name: str) -> None:
    from nlu.evaluate import MICRO, entity_report

    examples = load_examples(DATA_DIR / name)
    parses = [nlu.parse_now(e.text) for e in examples]
    report = intent_report(examples, nlu.parse_now, parses)
    assert report["macro avg"]["f1-score"] >= 0.95
    assert report["safety_recall"] >= 0.97
    assert entity_report(examples, parses)[MICRO]["f1-score"] >= 0.95


def test_fast_inference_equals_scikit_learn(nlu: EmbeddedNLU) -> None:
    examples = load_examples(DATA_DIR / "nlu.yml")
    labels = sorted({e.intent for e in examples})
    fitted = pipeline(labels).fit([normalize(e.text) for e in examples],
                                  [e.intent for e in examples])
    classifier = compile_pipeline(fitted, 0.5, nlu.classifier.thresholds)
    for example in TEST_SET[:50]:
        expected = softmax(fitted.decision_function([normalize(example.text)])[0] / 0.5)
        assert np.allclose(classifier.probabilities(example.text), expected, atol=1e-5)


def test_the_running_bot_does_not_need_scikit_learn(nlu_model_dir: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from nlu.embedded import load_or_train; "
            f"load_or_train(Path({str(nlu_model_dir)!r})).parse_now('pune'); "
            "print(any(m.startswith(('sklearn', 'scipy')) for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_report_is_shaped_like_rasas(nlu: EmbeddedNLU) -> None:
    report = intent_report(TEST_SET[:80], nlu.parse_now)
    for key in ("accuracy", "macro avg", "weighted avg", "misclassified"):
        assert key in report
    for values in (report["greet"], report["macro avg"]):
        assert {"precision", "recall", "f1-score", "support"} <= values.keys()


def test_the_model_is_retrained_when_the_data_changes(tmp_path: Path) -> None:
    data = tmp_path / "nlu.yml"
    source = (DATA_DIR / "nlu.yml").read_text(encoding="utf-8")
    data.write_text(source, encoding="utf-8")
    first = model_path(tmp_path / "models", [data])
    load_or_train(tmp_path / "models", [data])
    assert first.exists()
    data.write_text(source.replace("    - tung\n", "    - tung tung tung\n", 1), encoding="utf-8")
    second = model_path(tmp_path / "models", [data])
    assert second != first and not second.exists()
    load_or_train(tmp_path / "models", [data])
    assert second.exists()


def test_the_entity_report_counts_type_and_value() -> None:
    from nlu.base import IntentScore, Parse
    from nlu.evaluate import entity_report
    from nlu.training_data import Entity, Example

    de, gb = Entity("country", "DE", 0, 2), Entity("country", "GB", 0, 2)
    has = Entity("municipality", "has", 3, 6)
    examples = [Example("x", "jobs", (de, has)), Example("y", "jobs", (gb,)),
                Example("z", "jobs", ())]
    found = [(Entity("country", "DE", 5, 9), has), (Entity("country", "IT", 0, 2),), (has,)]
    parses = [Parse(e.text, IntentScore("jobs", 1.0), f) for e, f in zip(examples, found, strict=True)]
    report = entity_report(examples, parses)
    assert report["country"] == {"precision": 0.5, "recall": 0.5, "f1-score": 0.5, "support": 2}
    assert report["municipality"]["precision"] == 0.5
    assert report["municipality"]["recall"] == 1.0
    assert report["micro avg"]["support"] == 3
    assert report["micro avg"]["precision"] == 0.5
    assert [e["text"] for e in report["errors"]] == ["y", "z"]
