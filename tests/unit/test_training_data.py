from pathlib import Path

import pytest

from nlu.training_data import Entity, load_examples, parse_example


def test_json_annotations_become_spans_in_the_plain_text() -> None:
    example = parse_example(
        'pune ne [Krumë]{"entity": "municipality", "value": "has"} per [IT]{"entity": "sector", '
        '"value": "ict"}', "jobs")
    assert example.text == "pune ne Krumë per IT"
    assert example.entities == (Entity("municipality", "has", 8, 13), Entity("sector", "ict", 18, 20))


def test_short_annotations_take_the_text_as_value() -> None:
    example = parse_example("du me shku ne [Angli](country)", "legal_migration")
    assert example.text == "du me shku ne Angli"
    assert example.entities == (Entity("country", "Angli", 14, 19),)


def test_the_project_data_loads_with_every_intent(tmp_path: Path) -> None:
    from nlu.base import INTENTS
    from nlu.embedded import DATA_DIR

    for name in ("nlu.yml", "test.yml", "test_messy.yml"):
        examples = load_examples(DATA_DIR / name)
        assert {e.intent for e in examples} == set(INTENTS)
        for e in examples:
            for entity in e.entities:
                assert 0 <= entity.start < entity.end <= len(e.text)


HELD_OUT = ("test.yml", "test_messy.yml")


@pytest.mark.parametrize("name", HELD_OUT)
def test_the_held_out_sets_are_never_trained_on(name: str) -> None:
    from nlu.embedded import DATA_DIR, TRAINING_FILES
    from nlu.normalize import fold

    assert DATA_DIR / name not in TRAINING_FILES
    trained = {fold(e.text) for path in TRAINING_FILES for e in load_examples(path)}
    tested = [fold(e.text) for e in load_examples(DATA_DIR / name)]
    overlap = [t for t in tested if t in trained]
    assert overlap == []


def test_the_held_out_sets_share_no_message() -> None:
    from nlu.embedded import DATA_DIR
    from nlu.normalize import fold

    first, second = ({fold(e.text) for e in load_examples(DATA_DIR / n)} for n in HELD_OUT)
    assert first & second == set()


def test_the_messy_set_covers_every_intent_with_entities() -> None:
    from nlu.base import INTENTS
    from nlu.embedded import DATA_DIR

    examples = load_examples(DATA_DIR / "test_messy.yml")
    assert len(examples) >= 300
    assert {e.intent for e in examples} == set(INTENTS)
    assert {x.entity for e in examples for x in e.entities} >= {
        "municipality", "country", "sector", "departure"}


def test_the_rasa_domain_names_the_intents_and_entities_of_the_data() -> None:
    import yaml

    from nlu.base import INTENTS
    from nlu.embedded import DATA_DIR, TRAINING_FILES
    from nlu.entities import GAZETTEERS, RULE_KEYS

    domain = yaml.safe_load((DATA_DIR.parent / "rasa" / "domain.yml").read_text(encoding="utf-8"))
    assert domain["version"] == "3.1"
    assert domain["intents"] == list(INTENTS)
    examples = [e for path in TRAINING_FILES for e in load_examples(path)]
    assert {e.intent for e in examples} == set(domain["intents"])
    annotated = {entity.entity for e in examples for entity in e.entities}
    gazetteer = yaml.safe_load(GAZETTEERS.read_text(encoding="utf-8"))
    extracted = {k for k in gazetteer if k not in RULE_KEYS}
    extracted |= {rule["entity"] for rule in gazetteer["when_near"]}
    assert annotated <= set(domain["entities"])
    assert set(domain["entities"]) == extracted
