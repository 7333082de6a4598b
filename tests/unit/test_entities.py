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


@pytest.mark.parametrize(("text", "expected"), [
    ("du me shku ne Mbretërinë e Bashkuar", [("country", "GB", "Mbretërinë e Bashkuar")]),
    ("viza e Mbretërisë së Bashkuar", [("country", "GB", "Mbretërisë së Bashkuar")]),
    ("pune ne Britaninë e Madhe", [("country", "GB", "Britaninë e Madhe")]),
    ("a ka vize per Anglinë", [("country", "GB", "Anglinë")]),
    ("kushriri im ne periferi te Londrës", [("country", "GB", "Londrës")]),
    ("dua te shkoj ne Gjermaninë", [("country", "DE", "Gjermaninë")]),
    ("sezonale ne Zvicër", [("country", "CH", "Zvicër")]),
    ("ambasada gjermane", [("country", "DE", "gjermane")]),
    ("a ka pune ne Norvegji", [("country", "NO", "Norvegji")]),
    ("prej Germania", [("country", "DE", "Germania")]),
])
def test_countries_in_their_albanian_inflections(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert found(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("jam prej Kuks", [("municipality", "kukes", "Kuks")]),
    ("kurse ne krum", [("municipality", "has", "krum")]),
    ("ne bajram curr", [("municipality", "tropoje", "bajram curr")]),
    ("une jom prej Golajt", [("municipality", "has", "Golajt")]),
    ("pune ne Has", [("municipality", "has", "Has")]),
])
def test_misspelt_places(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert found(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("kurs coding falas", [("sector", "ict", "coding")]),
    ("pune si kamarier", [("sector", "hospitality", "kamarier")]),
    ("kerkoj pun ne nje restorant", [("sector", "hospitality", "restorant")]),
    ("kredi per blegtori", [("sector", "agriculture", "blegtori")]),
    ("mbledh bimë mjekësore", [("sector", "medicinal_plants", "bimë mjekësore")]),
    ("kurs qepje per vajza", [("sector", "crafts", "qepje")]),
    ("pune si kujdestare ne Itali", [("sector", "care", "kujdestare"), ("country", "IT", "Itali")]),
    ("du me hap nji punishte djathi", [("sector", "agro_processing", "punishte djathi")]),
    ("elektricist ne kantier", [("sector", "construction", "elektricist"),
                                ("sector", "construction", "kantier")]),
    ("bujtine ne Valbone", [("sector", "tourism", "bujtine"),
                            ("municipality", "tropoje", "Valbone")]),
])
def test_the_sector_words_young_people_use(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert found(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("kurs anglisht", [("sector", "languages", "anglisht")]),
    ("mesoj gjermanisht per vize", [("sector", "languages", "gjermanisht")]),
    ("corso di italiano a Kukes", [("sector", "languages", "italiano"),
                                   ("municipality", "kukes", "Kukes")]),
    ("sertifikate gjermanishteje B1", [("sector", "languages", "gjermanishteje")]),
    ("kursin e italishtes ne Itali", [("sector", "languages", "italishtes"),
                                      ("country", "IT", "Itali")]),
    ("shkruaj ne anglisht te lutem", []),
    ("a flet gjermanisht?", []),
    ("english please", []),
    ("ndrysho gjuhen ne italisht", []),
])
def test_a_language_is_a_sector_only_when_it_is_learnt(text: str, expected: list) -> None:  # type: ignore[type-arg]
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "nisem nesër për në Itali", "ikim javen tjeter me gomone", "i'm leaving tomorrow",
    "me con sonte me kamion", "vellai po niset neser",
])
def test_departure_is_leaving_soon(text: str) -> None:
    assert ("departure", "soon") in [(e, v) for e, v, _ in found(text)]


@pytest.mark.parametrize("text", [
    "flasim nesër", "ok, shihemi neser", "si do jete moti neser", "kam provim nesër",
    "po iki tash, mirupafshim", "naten e mire, neser e vazhdojme", "sa eshte euro sot",
    "nuk kam ku te fle sonte",
])
def test_departure_does_not_fire_without_leaving(text: str) -> None:
    assert "departure" not in [e for e, _v, _ in found(text)]


@pytest.mark.parametrize("text", [
    "my uncle has a shop", "she has been there", "delete my data", "vize turistike per Itali",
    "a ka programe per te rinjte", "aplikacioni per vize", "flas shqip", "from Albania",
])
def test_words_that_only_look_like_entities(text: str) -> None:
    assert [(e, v) for e, v, _ in found(text) if e == "sector" or v in ("has", "AL")] == []
