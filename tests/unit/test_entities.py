import pytest

from nlu.entities import EntityExtractor

EXTRACTOR = EntityExtractor.from_file()


def found(text: str) -> list[tuple[str, str, str]]:
    return [(e.entity, e.value, text[e.start:e.end]) for e in EXTRACTOR.extract(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("pune ne Has", [("municipality", "has", "Has")]),
    ("jam nga Krumë", [("municipality", "has", "Krumë")]),
    ("kurse ne Bajram Curri", [("municipality", "tropoje", "Bajram Curri")]),
    ("te Kukësit", [("municipality", "kukes", "Kukësit")]),
    ("du me shku n'Gjermani", [("country", "DE", "Gjermani")]),
    ("viza e Gjermanisë", [("country", "DE", "Gjermanisë")]),
    ("gjermni", [("country", "DE", "gjermni")]),
    ("jam ne Londer", [("country", "GB", "Londer")]),
    ("vize per UK", [("country", "GB", "UK")]),
    ("kurs IT falas", [("sector", "ict", "IT")]),
    ("bime medicinale ne Tropojë", [("sector", "medicinal_plants", "bime medicinale"),
                                    ("municipality", "tropoje", "Tropojë")]),
])
def test_gazetteer_entities_with_endings_and_typos(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert found(text) == expected


@pytest.mark.parametrize("text", ["it is fine", "I have a job", "hasta la vista", "", "😂" * 50])
def test_ordinary_words_are_not_entities(text: str) -> None:
    assert found(text) == []


def test_a_huge_text_is_read_only_at_its_start() -> None:
    assert len(EXTRACTOR.extract("Has " * 50_000)) == 200
