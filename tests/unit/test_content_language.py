"""The Albanian reads like a young person from the north, and the safety pages say what they must.

Issue 10: no calques or donor jargon, no "&" in button labels, Albanian number formats, "bashkia"
not "komuna", no comma before "dhe"; the team is offered wherever the next step is to ask
someone; the urgent page has the numbers that work abroad and not 116 006; pages past their
``review_by`` are listed by ``content stale`` and only warned about by ``content check``.
"""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from bot.config import LOCALES, Settings
from bot.content import MENU, ContentStore, Page, load
from bot.i18n import read_catalog
from nlu.normalize import fold

CONTENT = Settings(_env_file=None).content_dir  # type: ignore[call-arg]

CALQUES = (
    "fakte te drejtperdrejta", "oferte pune detyruese", "i dhashe sinjal",
    "operatoreve te miratuar te skemes", "operatoret e miratuar te skemes",
)
"""English turned word for word into Albanian (the issue's examples), compared folded."""
JARGON = (
    r"\bFCDO\b", r"\bEaSI\b", r"\bGLAA\b", r"X\.2\.A", r"kategoria X", r"\(MB\)",
    r"vend(?:i)? t[eë] sigurt origjine",
)
"""Donor and legal labels a young person cannot use; written out or left out instead."""
ENGLISH_THOUSANDS = re.compile(r"\b\d{1,3}(?:[.,]\d{3})+\b")
"""25,000 or 25.000: Albanian writes 25 mijë (or 25 000)."""
ASK_SOMEONE = re.compile(r"\bpyet\b|\bfol me\b|\bpyesh\b", re.IGNORECASE)
"""A page whose next step is to ask a person."""
OTHER_HELPERS = ("staff.", "handoff.", "risk.")
"""Catalog entries other work owns (the referral questions, staff texts, the risk check)."""


@pytest.fixture(scope="module")
def store() -> ContentStore:
    return load(CONTENT, LOCALES)


@pytest.fixture(scope="module")
def sq(store: ContentStore) -> dict[str, Page]:
    return store.pages("sq")


def _sq_texts(sq: dict[str, Page]) -> list[tuple[str, str]]:
    """Every young-person-facing Albanian text: page titles and texts, catalog strings."""
    texts = [(f"sq/{p.id}", f"{p.title}\n{p.text}") for p in sq.values()]
    return texts + [(f"sq.po:{key}", text) for key, text in _catalog("sq", own=True)]


def _catalog(locale: str, *, own: bool) -> list[tuple[str, str]]:
    entries = [(m.id, str(m.string)) for m in read_catalog(locale) if m.id]
    return [(k, v) for k, v in entries if k.startswith(OTHER_HELPERS) != own]


def _offences(text: str) -> list[str]:
    folded = fold(text)
    found = [c for c in CALQUES if c in folded] + [j for j in JARGON if re.search(j, text)]
    if "komun" in folded.replace("komunitet", ""):
        found.append("komuna")
    if ENGLISH_THOUSANDS.search(text):
        found.append("25,000-style number")
    if ", dhe " in text:
        found.append(", dhe")
    return found


def test_no_calque_jargon_komuna_or_english_number(sq: dict[str, Page]) -> None:
    found = {where: bad for where, text in _sq_texts(sq) if (bad := _offences(text))}
    assert found == {}


def test_the_rules_catch_what_they_are_meant_to() -> None:
    assert _offences("Këtu ke fakte të drejtpërdrejta")
    assert _offences("Kredi deri në 25,000 €") and _offences("deri në 25.000 €")
    assert _offences("komuna, mosha") and _offences("licenca X.2.A") and _offences("a, dhe b")
    assert not _offences("deri në 25 mijë €, 1,5 milion lekë, punë në komunitet")


def test_the_strings_of_the_referral_questions_follow_the_same_rules() -> None:
    assert {key: bad for key, text in _catalog("sq", own=False) if (bad := _offences(text))} == {}


def test_no_ampersand_in_any_label(store: ContentStore) -> None:
    for locale in LOCALES:
        assert not [p.id for p in store.pages(locale).values() if "&" in p.title]
        assert not [k for k, v in _catalog(locale, own=True) if "&" in v]


def test_labels_in_a_locale_are_all_different(store: ContentStore) -> None:
    for locale in LOCALES:
        titles = [p.title for p in store.pages(locale).values()]
        assert len(titles) == len(set(titles)), locale


def test_every_page_whose_next_step_is_to_ask_someone_offers_the_team(
    sq: dict[str, Page],
) -> None:
    asking = [p for p in sq.values() if ASK_SOMEONE.search(p.text)]
    assert len(asking) > 10
    assert [p.id for p in asking if p.handoff is None] == []


def _text(store: ContentStore, page_id: str, locale: str = "sq") -> str:
    return store.page(locale, page_id).text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_urgent_page_has_the_numbers_for_albania_and_abroad(
    locale: str, store: ContentStore
) -> None:
    text = _text(store, "urgent", locale)
    for number in ("112", "129", "127", "116 111", "116 117", "999", "0800 0121 700",
                   "+44 7518 662630"):
        assert number in text, number
    assert "19–20" in text or "19 and 20" in text  # ALO 116 111's age range
    assert text.count("116 117") == 2  # the line, and the warning that abroad it is not it


@pytest.mark.parametrize("locale", LOCALES)
def test_116_006_is_not_a_call_now_number_but_comes_with_its_caveat(
    locale: str, store: ContentStore
) -> None:
    assert "116 006" not in _text(store, "urgent", locale)
    trafficking = _text(store, "urgent.trafficking", locale)
    assert "116 006" in trafficking and "2023" in trafficking and "112" in trafficking


def test_a_help_number_never_stands_alone(sq: dict[str, Page]) -> None:
    helplines = ("129", "116 111", "116 117", "116 006", "0800 0121 700")
    for page in sq.values():
        if any(n in page.text for n in helplines):
            assert "112" in page.text, page.id


@pytest.mark.parametrize("page_id", ["smuggling.after", "smuggling.law"])
def test_what_happens_if_you_go_irregularly_gives_consequences_and_help(
    page_id: str, store: ContentStore
) -> None:
    text = _text(store, page_id)
    assert "10 vjet" in text and "Schengen" in text  # UK re-entry ban, Schengen ban
    assert "0800 0121 700" in text and "112" in text  # help for victims abroad


def test_the_law_page_leads_to_the_consequences(sq: dict[str, Page]) -> None:
    assert "smuggling.after" in sq["smuggling.law"].choices


def test_no_smuggling_price_list(store: ContentStore) -> None:
    for locale in LOCALES:
        cost = _text(store, "smuggling.cost", locale)
        assert not re.search(r"£\s?\d|\d\s?£", cost), locale


def test_time_sensitive_pages_are_reviewed_within_three_months(sq: dict[str, Page]) -> None:
    for page_id in ("migration.schengen", "migration.germany", "migration.italy_greece",
                    "migration.uk", "business.new_perspectives"):
        page = sq[page_id]
        assert page.review_by is not None
        assert (page.review_by - page.last_reviewed).days <= 100, page_id


def test_new_pages_are_reachable_from_the_menu_or_a_topic(sq: dict[str, Page]) -> None:
    offered = {c for p in sq.values() for c in p.choices}
    for page_id in ("jobs.remote", "business.plants", "girls", "migration.return",
                    "smuggling.after", "urgent.referral", "urgent.abroad", "human.privacy"):
        assert page_id in offered, page_id
    assert "girls" in sq[MENU].choices


def test_sector_entities_pick_the_new_pages(store: ContentStore) -> None:
    assert store.page_for("jobs", {"sector": ["ict"]}) == "jobs.remote"
    assert store.page_for("business", {"sector": ["medicinal_plants"]}) == "business.plants"


def test_the_privacy_notice_says_what_why_who_how_long_and_where_to_complain(
    store: ContentStore,
) -> None:
    for locale in LOCALES:
        notice = dict(_catalog(locale, own=True))["privacy.notice"]
        assert "180" in notice and "idp.al" in notice
        page = store.page(locale, "human.privacy").text
        assert "180" in page and "info@idp.al" in page


@pytest.fixture
def dated(tmp_path: Path) -> Path:
    """A copy of the content where one page (in both locales) is past its review date."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    for locale in LOCALES:
        path = copy / locale / "jobs.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = next(p for p in data["pages"] if p["id"] == "jobs.portal")
        page.update(last_reviewed="2025-01-10", review_by="2025-06-01")
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def test_content_stale_lists_the_page_past_its_review_date(
    dated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(dated))
    result = CliRunner().invoke(app, ["content", "stale"])
    assert result.exit_code == 0, result.output
    assert "sq/jobs.portal: review by 2025-06-01" in result.output
    assert "en/jobs.portal" in result.output
    assert "jobs.youth_guarantee" not in result.output


def test_content_check_warns_about_stale_pages_but_passes(
    dated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(dated))
    result = CliRunner().invoke(app, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert "warning: sq/jobs.portal" in result.output
    assert "content ok" in result.output


def test_a_page_with_sources_needs_a_review_date(dated: Path) -> None:
    from bot.content import ContentError

    path = dated / "en" / "jobs.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["pages"][0].pop("review_by")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="no review_by date"):
        load(dated, LOCALES)


def test_the_page_type_keeps_its_review_fields() -> None:
    assert {"last_reviewed", "review_by"} <= set(Page.model_fields)
