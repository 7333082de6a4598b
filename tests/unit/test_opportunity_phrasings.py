"""Hold-out phrasings (written for this test, in none of the NLU's data files): Gheg, SMS
spelling, no diacritics. Each goes through the embedded NLU, the content's topic pages and the
router's reading of an opportunities question, then matching; the answer must be the
opportunities a caseworker would pick for it."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot import content
from bot.config import LOCALES
from bot.paths import CONTENT_DIR
from bot.routes import FindOpportunities, RouteName
from bot.routing import asked_for_opportunities
from nlu.embedded import EmbeddedNLU, load_or_train
from nlu.training_data import load_examples
from opportunities.matching import Index, Listing, Wanted, match

TODAY = date(2027, 1, 1)
CATALOGUE = (  # id, kind, municipalities, sectors
    ("it-has", "training", ("has",), ("ict",)), ("it-all", "training", (), ("ict",)),
    ("it-tropoje", "training", ("tropoje",), ("ict",)),
    ("lang-tropoje", "training", ("tropoje",), ("languages",)),
    ("cook-has", "training", ("has",), ("hospitality",)),
    ("tailor-kukes", "training", ("kukes",), ("crafts",)),
    ("hotel-valbone", "job", ("tropoje",), ("hospitality",)),
    ("intern-kukes", "internship", ("kukes",), ()), ("job-has", "job", ("has",), ()),
    ("grant-agrotourism", "grant", ("tropoje",), ("tourism",)),
    ("grant-herbs", "grant", ("kukes",), ("medicinal_plants",)),
    ("grant-livestock", "grant", (), ("agriculture",)),
)
HOLD_OUT = [
    ("a ka kurse IT ne Kukes qe fillojne muajin tjeter?", {"it-all"}),
    ("pun ne Has", {"job-has"}),
    ("a ka naj kurs kompjuteri n Krum?", {"it-has", "it-all"}),
    ("du me msu programim, ka dicka ne Has?", {"it-has", "it-all"}),
    ("kurse anglisht ne Bajram Curri", {"lang-tropoje"}),
    ("qysh me gjet pun n hotel ne Valbone", {"hotel-valbone"}),
    ("a ka vende pune per kamarier ne tropoj", {"hotel-valbone"}),
    ("kerkoj praktike pune ne kukes", {"intern-kukes"}),
    ("a jepen grante per agroturizem ne Tropoje", {"grant-agrotourism"}),
    ("du me hap biznes me bima mjekesore ne Kukes, a ka fonde?", {"grant-herbs"}),
    ("ka ndonje trajnim per kuzhinier n has?", {"cook-has"}),
    ("kurs rrobaqepsie per vajza ne kukes", {"tailor-kukes"}),
    ("a ka pune sezonale ne Valbone kete vere", {"hotel-valbone"}),
    ("mbeshtetje financiare per blegtori ne Has", {"grant-livestock"}),
]


@pytest.fixture(scope="module")
def nlu(nlu_model_dir: Path) -> EmbeddedNLU:
    return load_or_train(nlu_model_dir)


@pytest.fixture(scope="module")
def pages() -> content.ContentStore:
    return content.load(CONTENT_DIR, LOCALES)


@pytest.fixture(scope="module")
def index() -> Index:
    return Index([Listing(entry_id, kind, entry_id, entry_id, "Qendra Shembull", places,
                          sectors, None, None, TODAY + timedelta(days=n + 1), "", "", TODAY)
                  for n, (entry_id, kind, places, sectors) in enumerate(CATALOGUE)],
                 ("kukes", "has", "tropoje"))


def test_the_phrasings_are_held_out_of_the_nlu_data() -> None:
    folder = Path(__file__).resolve().parents[2] / "nlu" / "data"
    known = {example.text.strip().lower() for path in folder.glob("*.yml")
             for example in load_examples(path)}
    assert not {text.lower() for text, _ in HOLD_OUT} & known


@pytest.mark.parametrize(("text", "expected"), HOLD_OUT)
def test_a_hold_out_question_finds_the_opportunities_that_fit(
    nlu: EmbeddedNLU, pages: content.ContentStore, index: Index, text: str, expected: set[str],
) -> None:
    parse = nlu.parse_now(text)
    page = pages.page_for(parse.intent.name, parse.entity_values())
    assert page is not None, parse.intent.name
    route = asked_for_opportunities(page, parse)
    assert route is not None and route.name is RouteName.OPPORTUNITIES
    asked = route.arg(FindOpportunities)
    wanted = Wanted(asked.topic, asked.municipality, asked.sector)
    assert {item.id for item in match(index, wanted, TODAY).listings} == expected
