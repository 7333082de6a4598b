"""Matching open opportunities to what was asked: pure, on hand-made listings; and how one
opportunity reads (the deadline in the Albanian date format)."""

from dataclasses import replace
from datetime import date, timedelta

from bot.handlers.opportunity_text import listing_text
from bot.i18n import load_translator
from opportunities.matching import (
    KEY_MAX,
    PAGE_SIZE,
    Index,
    Listing,
    Wanted,
    choice_key,
    match,
)

TODAY = date(2027, 1, 1)
PLACES = ("kukes", "has", "tropoje")


def listing(entry_id: str, kind: str = "training", *, places: tuple[str, ...] = (),
            sectors: tuple[str, ...] = (), days: int | None = 30,
            ages: tuple[int | None, int | None] = (None, None)) -> Listing:
    deadline = None if days is None else TODAY + timedelta(days=days)
    return Listing(entry_id, kind, f"Kurs {entry_id}", f"Course {entry_id}", "Qendra Shembull",
                   places, sectors, ages[0], ages[1], deadline, "https://example.org", "",
                   TODAY - timedelta(days=2))


def found(listings: list[Listing], wanted: Wanted, today: date = TODAY, page: int = 0
          ) -> list[str]:
    return [item.id for item in match(Index(listings, PLACES), wanted, today, page).listings]


def test_most_urgent_first_and_no_deadline_last() -> None:
    listings = [listing("open", days=None), listing("late", days=60), listing("soon", days=2)]
    assert found(listings, Wanted("trainings")) == ["soon", "late", "open"]


def test_a_deadline_that_passed_since_the_index_was_built_drops_out() -> None:
    listings = [listing("soon", days=2), listing("late", days=60)]
    assert found(listings, Wanted("trainings"), TODAY + timedelta(days=3)) == ["late"]
    assert found(listings, Wanted("trainings"), TODAY + timedelta(days=2)) == ["soon", "late"]


def test_no_municipality_means_all_three_and_a_named_one_only_itself() -> None:
    listings = [listing("all"), listing("has", places=("has",)),
                listing("tropoje", places=("tropoje",))]
    assert found(listings, Wanted("trainings", "has")) == ["all", "has"]
    assert found(listings, Wanted("trainings")) == ["all", "has", "tropoje"]


def test_a_named_sector_wants_that_sector_and_none_named_takes_every_sector() -> None:
    listings = [listing("ict", sectors=("ict", "languages"), days=1),
                listing("general", days=2), listing("cook", sectors=("hospitality",), days=3)]
    assert found(listings, Wanted("trainings", sector="languages")) == ["ict"]
    assert found(listings, Wanted("trainings")) == ["ict", "general", "cook"]


def test_the_topic_picks_the_kinds() -> None:
    listings = [listing("course"), listing("job", "job", days=1),
                listing("intern", "internship", days=2), listing("grant", "grant"),
                listing("fair", "other")]
    assert found(listings, Wanted("jobs")) == ["job", "intern"]
    assert found(listings, Wanted("business")) == ["grant"]
    assert found(listings, Wanted("trainings")) == ["course"]


def test_an_age_band_keeps_those_it_may_apply_to() -> None:
    listings = [listing("teen", ages=(15, 18), days=1), listing("adult", ages=(18, None), days=2),
                listing("young", ages=(None, 24), days=3), listing("any", days=4)]
    assert found(listings, Wanted("trainings", ages=(25, 29))) == ["adult", "any"]
    assert found(listings, Wanted("trainings")) == ["teen", "adult", "young"]
    assert found(listings, Wanted("trainings", ages=(16, 17))) == ["teen", "young", "any"]


def test_three_a_page_and_whether_there_is_more() -> None:
    listings = [listing(f"n{n}", days=n + 1) for n in range(7)]
    index = Index(listings, PLACES)
    pages = [match(index, Wanted("trainings"), TODAY, page) for page in range(3)]
    assert [[i.id for i in p.listings] for p in pages] == [
        ["n0", "n1", "n2"], ["n3", "n4", "n5"], ["n6"]]
    assert [p.more for p in pages] == [True, True, False]
    assert len(pages[0].listings) == PAGE_SIZE


def test_long_ids_get_short_keys_that_still_find_them() -> None:
    long_one = "a" * 64
    twin = "a" * 63 + "b"
    index = Index([listing(long_one), listing(twin)], PLACES)
    assert len(choice_key(long_one)) <= KEY_MAX and choice_key(long_one) != choice_key(twin)
    assert index.get(choice_key(twin)) is not None and index.get(choice_key(twin)).id == twin
    assert choice_key("it-has") == "it-has"


def test_an_opportunity_reads_with_the_deadline_in_albanian() -> None:
    t = load_translator("sq")
    item = replace(listing("it", places=("has", "tropoje"), ages=(16, 29)),
                   deadline=date(2027, 1, 15), contact="info@example.org")
    text = listing_text(t, "sq", item, 1)
    assert text.splitlines()[0] == "1. Kurs: Kurs it"
    assert "Afati: 15 janar 2027" in text and "📍 Has, Tropojë" in text
    assert "16–29" in text and "info@example.org" in text and "30 dhjetor 2026" in text
    english = listing_text(load_translator("en"), "en", item, 2)
    assert english.startswith("2. Course: Course it") and "January 15, 2027" in english
