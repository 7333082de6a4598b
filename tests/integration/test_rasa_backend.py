"""NLU_BACKEND=rasa against a fake Rasa server on loopback; any failure falls back."""

from pathlib import Path

import pytest

from nlu.embedded import load_or_train
from nlu.rasa_http import RasaHttpNLU
from tests.fakes.rasa_server import FakeRasa
from tests.fakes.server import serving

URGENT = "me kane marre pasaporten dhe nuk me lene te iki"


@pytest.fixture
def embedded(nlu_model_dir: Path):  # type: ignore[no-untyped-def]
    return load_or_train(nlu_model_dir)


async def test_a_working_rasa_server_is_asked(embedded) -> None:  # type: ignore[no-untyped-def]
    rasa = FakeRasa(intent="business", confidence=0.88)
    async with serving(rasa.app()) as url:
        nlu = RasaHttpNLU(url, fallback=embedded)
        parse = await nlu.parse("Has kredi per dele")
        await nlu.close()
    assert rasa.received == ["Has kredi per dele"]
    assert (parse.intent.name, parse.intent.confidence) == ("business", 0.88)
    assert [(e.entity, e.value) for e in parse.entities] == [
        ("municipality", "has"), ("sector", "agriculture")]


async def test_the_gazetteer_entities_apply_to_rasas_answer(embedded) -> None:  # type: ignore[no-untyped-def]
    text = "jam 19 vjeç prej Krumë, du me shku n'Gjermaninë si kamarier"
    krume = text.index("Krumë")
    rasa = FakeRasa(intent="legal_migration", entities=[
        # A Rasa model without synonyms gives the value as written, and misses the rest; an
        # entity of its own (here an age) is kept.
        {"entity": "age", "value": "19", "start": 4, "end": 6, "extractor": "DIETClassifier"},
        {"entity": "municipality", "value": "Krumë", "start": krume, "end": krume + 5,
         "extractor": "DIETClassifier"},
    ])
    async with serving(rasa.app()) as url:
        nlu = RasaHttpNLU(url, fallback=embedded)
        parse = await nlu.parse(text)
        await nlu.close()
    assert parse.intent.name == "legal_migration"
    assert [(e.entity, e.value, text[e.start:e.end]) for e in parse.entities] == [
        ("age", "19", "19"), ("municipality", "has", "Krumë"), ("country", "DE", "Gjermaninë"),
        ("sector", "hospitality", "kamarier")]


@pytest.mark.parametrize(
    "failure", [{"status": 500}, {"delay": 1.0}, {"malformed": True}],
    ids=["server error", "too slow", "malformed answer"],
)
async def test_a_failing_rasa_falls_back_to_the_embedded_classifier(
    embedded, failure: dict  # type: ignore[no-untyped-def, type-arg]
) -> None:
    rasa = FakeRasa(intent="greet", **failure)
    async with serving(rasa.app()) as url:
        nlu = RasaHttpNLU(url, fallback=embedded, timeout=0.3)
        parse = await nlu.parse(URGENT)
        await nlu.close()
    assert rasa.received == [URGENT]
    assert parse.intent.name == embedded.parse_now(URGENT).intent.name == "urgent_help"


async def test_an_unreachable_rasa_falls_back(embedded) -> None:  # type: ignore[no-untyped-def]
    nlu = RasaHttpNLU("http://127.0.0.1:9", fallback=embedded, timeout=0.3)
    parse = await nlu.parse(URGENT)
    await nlu.close()
    assert parse.intent.name == "urgent_help"
