"""``youthbot content check`` on the shipped content, and on content broken on purpose."""

import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import LOCALES, Settings
from bot.content import MENU, ContentError, load
from bot.content_check import catalog_problems, keys_in_code, problems

CONTENT = Settings(_env_file=None).content_dir  # type: ignore[call-arg]


def test_shipped_content_and_catalogs_have_no_problems() -> None:
    assert problems(CONTENT) == []


def test_every_topic_exists_in_both_languages_with_sources() -> None:
    store = load(CONTENT, LOCALES)
    for locale in LOCALES:
        for page in store.pages(locale).values():
            if page.id != MENU:
                assert page.sources, (locale, page.id)
                assert all(str(s.url).startswith("https://") or str(s.url).startswith("http://")
                           for s in page.sources)
    assert store.pages("sq").keys() == store.pages("en").keys()


def test_the_code_asks_for_catalog_keys_that_exist() -> None:
    assert {"welcome.text", "privacy.notice", "fallback.text"} <= keys_in_code()
    assert catalog_problems() == []


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["pages"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_page_missing_in_english_is_reported(broken: Path) -> None:
    _edit(broken / "en" / "jobs.yml", lambda pages: pages.pop())
    with pytest.raises(ContentError, match=r"en: page jobs\.\S+ missing"):
        load(broken, LOCALES)


def test_a_choice_to_nowhere_is_reported(broken: Path) -> None:
    _edit(broken / "sq" / "jobs.yml", lambda pages: pages[0]["choices"].append("jobs.nowhere"))
    with pytest.raises(ContentError, match="leads nowhere"):
        load(broken, LOCALES)


def test_text_too_long_for_a_channel_is_reported(broken: Path) -> None:
    _edit(broken / "sq" / "jobs.yml", lambda pages: pages[0].update(text="fjalë " * 300))
    with pytest.raises(ContentError, match="at most 900 characters"):
        load(broken, LOCALES)


def test_a_page_without_sources_is_reported(broken: Path) -> None:
    _edit(broken / "en" / "jobs.yml", lambda pages: pages[0].update(sources=[]))
    with pytest.raises(ContentError, match="no sources"):
        load(broken, LOCALES)


def test_markdown_is_reported(broken: Path) -> None:
    _edit(broken / "sq" / "jobs.yml", lambda pages: pages[0].update(text="*shume* e rendesishme"))
    with pytest.raises(ContentError, match="markup"):
        load(broken, LOCALES)


def test_a_directory_slot_must_replace_a_paragraph_of_its_own_text(broken: Path) -> None:
    def slot(pages: list[dict]) -> None:  # type: ignore[type-arg]
        pages[1]["services"]["replaces"] = "Kukësi ka zyrë."
    _edit(broken / "sq" / "jobs.yml", slot)
    with pytest.raises(ContentError, match=r"sq/jobs\.portal: services replaces no paragraph"):
        load(broken, LOCALES)


def test_a_directory_slot_names_a_page_and_is_the_same_in_both_languages(broken: Path) -> None:
    def slot(pages: list[dict]) -> None:  # type: ignore[type-arg]
        pages[0]["services"]["topic"] = "jobs.nowhere"
    _edit(broken / "en" / "jobs.yml", slot)
    with pytest.raises(ContentError) as raised:
        load(broken, LOCALES)
    assert "en/jobs: services topic jobs.nowhere is no page" in raised.value.problems
    assert "en/jobs: services differ from sq" in raised.value.problems
