"""Which entries of the directory a page shows, and in what order (no database: the rule)."""

from datetime import date, timedelta

from bot.storage.catalogue import LocalService
from opportunities.directory import CHECKED_WITHIN, SHOWN, nearest

TODAY = date(2026, 12, 7)


def office(entry_id: str, *municipalities: str, checked: date = TODAY) -> LocalService:
    return LocalService(id=entry_id, title_sq=entry_id, municipalities=list(municipalities),
                        topics=["jobs"], checked=checked)


KUKES, KRUME, BAJRAM_CURRI = office("kukes", "kukes"), office("krume", "has"), office(
    "bajram-curri", "tropoje")
COUNTY = office("county")


def shown(municipality: str | None, *services: LocalService) -> list[str]:
    return [item.service.id for item in nearest(services, municipality, TODAY)]


def test_the_users_municipality_first_and_only_those_that_serve_it() -> None:
    assert shown("tropoje", KUKES, KRUME, BAJRAM_CURRI) == ["bajram-curri"]
    assert shown("tropoje", COUNTY, KUKES, BAJRAM_CURRI) == ["bajram-curri", "county"]
    assert shown("has", office("both", "has", "tropoje"), KUKES) == ["both"]


def test_with_none_for_their_municipality_the_others_rather_than_nothing() -> None:
    assert shown("tropoje", KRUME, KUKES) == ["kukes", "krume"]


def test_unknown_or_unusable_municipality_county_wide_then_kukes_has_tropoje() -> None:
    expected = ["county", "kukes", "krume"]
    assert shown(None, BAJRAM_CURRI, KRUME, KUKES, COUNTY) == expected
    assert shown("other", BAJRAM_CURRI, KRUME, KUKES, COUNTY) == expected
    assert shown("Has", BAJRAM_CURRI, KRUME, KUKES, COUNTY) == expected
    assert len(shown(None, *(office(f"o{n}", "kukes") for n in range(9)))) == SHOWN


def test_an_entry_checked_over_a_year_ago_is_marked_and_comes_after_a_fresh_one() -> None:
    old = office("a-old", "tropoje", checked=TODAY - CHECKED_WITHIN - timedelta(days=1))
    year = office("b-year", "tropoje", checked=TODAY - CHECKED_WITHIN)
    listed = nearest([old, year], "tropoje", TODAY)
    assert [(item.service.id, item.stale) for item in listed] == [("b-year", False),
                                                                  ("a-old", True)]
