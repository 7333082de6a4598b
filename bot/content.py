"""What the bot says about each topic, loaded from ``content/<locale>/*.yml`` into frozen objects.

A page has a button title, a text, the ids of the pages offered next, its sources, the date its
facts were gathered (``last_reviewed``) and the date by which they must be checked again
(``review_by``); a page that sends people to a kind of office may declare a directory slot
(``services``), where the nearest entries of the directory of local services are shown.
``keywords.yml`` in each locale lists the words that work as commands.
:func:`check` is what ``youthbot content check`` runs: schema, both locales alike, choices that
lead somewhere, and text that fits every channel. :func:`stale` lists the pages past their
``review_by``: a warning, never a failure, so a date alone does not break the build.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, ValidationError

from bot.content_files import FileProblem, read_mapping
from nlu.normalize import fold

PAGE_ID = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"
MENU = "menu"
HELP = "menu.help"
"""The menu asked for with "ndihmë" or "help": urgent help first, the numbers in its first line."""
KEYWORDS_FILE = "keywords.yml"
TOPIC_INTENTS = (
    "trainings", "jobs", "business", "legal_migration", "smuggling_risk", "urgent_help",
    "talk_to_human",
)
"""Intents answered by a content topic; every locale must have a page for each."""
COMMANDS = (
    "start", "menu", "help", "sources", "stop", "delete", "language", "english", "albanian",
    "yes", "no", "alerts",
)

MARKUP = r"[*_`<>\[\]]"
TITLE_MAX = 24
TEXT_MAX = 900
CHOICES_MAX = 8


class ContentError(Exception):
    """Content that cannot be loaded; ``problems`` says what, file by file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: Annotated[str, StringConstraints(min_length=3, strip_whitespace=True)]
    url: HttpUrl


class ServiceSlot(_Strict):
    """Where a page shows entries of the directory of local services (``youthbot services``).

    With no matching entry the page is exactly its text; with some, ``lead`` and the entries
    take the place of the ``replaces`` paragraph (the generic "go to the office" line), or
    come after the text when there is none to replace.
    """

    topic: Annotated[str, StringConstraints(pattern=PAGE_ID, max_length=64)]
    """The directory entries shown are those whose ``topics`` include this page id."""
    lead: Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX * 4)]
    replaces: str | None = None


class Page(_Strict):
    id: Annotated[str, StringConstraints(pattern=PAGE_ID, max_length=64)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
    choices: tuple[Annotated[str, StringConstraints(pattern=PAGE_ID)], ...] = Field(
        max_length=CHOICES_MAX
    )
    sources: tuple[Source, ...]
    last_reviewed: date
    """When the facts on the page were gathered (the page footer says so)."""
    review_by: date | None = None
    """When the facts may have changed (quotas, launch dates, projects): check them by then."""
    intent: str | None = None
    """The NLU intent this topic answers (top pages only)."""
    match: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Entity values that make this page the answer within its topic, e.g. country: [DE]."""
    handoff: Annotated[str, StringConstraints(pattern=PAGE_ID, max_length=32)] | None = None
    """The referral topic of this page: it offers a person (a caseworker) for it."""
    services: ServiceSlot | None = None


class _PageFile(_Strict):
    pages: tuple[Page, ...] = Field(min_length=1)


class _KeywordFile(_Strict):
    keywords: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class LocaleContent:
    pages: dict[str, Page]
    keywords: dict[str, tuple[str, ...]]


class ContentStore:
    """All locales' pages and command words; read-only after loading."""

    def __init__(self, locales: dict[str, LocaleContent]) -> None:
        self._locales = locales
        self._commands = {
            fold(word): command
            for content in locales.values()
            for command, words in content.keywords.items()
            for word in words
        }

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self._locales)

    def page(self, locale: str, page_id: str) -> Page:
        return self._locales[locale].pages[page_id]

    def has_page(self, page_id: str) -> bool:
        return all(page_id in content.pages for content in self._locales.values())

    def pages(self, locale: str) -> dict[str, Page]:
        return self._locales[locale].pages

    def page_for(self, intent: str, entities: dict[str, list[str]]) -> str | None:
        """The page answering an intent: the topic page, or the sub-page its entities pick."""
        pages = self._locales[self.locales[0]].pages
        topic = next((p.id for p in pages.values() if p.intent == intent), None)
        if topic is None:
            return None
        for page in pages.values():
            if page.id.startswith(topic + ".") and any(
                value in page.match.get(entity, ()) for entity, values in entities.items()
                for value in values
            ):
                return page.id
        return topic

    def keywords(self, locale: str) -> dict[str, tuple[str, ...]]:
        return self._locales[locale].keywords

    def command(self, folded_text: str) -> str | None:
        """The command a whole message names (in any locale), e.g. "stop", or None."""
        return self._commands.get(folded_text)


def load(
    root: Path, locales: tuple[str, ...], limits: Mapping[str, int] | None = None
) -> ContentStore:
    """Load every locale; raise :class:`ContentError` listing all problems if anything is off.
    ``limits`` are the channels' limits on one message (by channel name): a rendered page
    (text, review line, numbered choices) must fit each."""
    problems: list[str] = []
    loaded = {locale: _load_locale(root / locale, problems) for locale in locales}
    if problems:
        raise ContentError(problems)
    store = ContentStore(loaded)
    problems = check(store, limits or {})
    if problems:
        raise ContentError(problems)
    return store


def _load_locale(folder: Path, problems: list[str]) -> LocaleContent:
    pages: dict[str, Page] = {}
    keywords: dict[str, tuple[str, ...]] = {}
    if not folder.is_dir():
        problems.append(f"{folder}: missing")
        return LocaleContent(pages, keywords)
    for path in sorted(folder.glob("*.yml")):
        try:
            raw = read_mapping(path)
            if path.name == KEYWORDS_FILE:
                keywords = _KeywordFile.model_validate(raw).keywords
                continue
            for page in _PageFile.model_validate(raw).pages:
                if page.id in pages:
                    problems.append(f"{path}: page {page.id} defined twice")
                pages[page.id] = page
        except (FileProblem, ValidationError) as error:
            problems.append(f"{path}: {error}")
    return LocaleContent(pages, keywords)


def check(store: ContentStore, limits: Mapping[str, int]) -> list[str]:
    """Cross-file rules that a schema cannot say; an empty list means the content is sound."""
    problems: list[str] = []
    locales = store.locales
    reference = locales[0]
    for locale in locales:
        pages = store.pages(locale)
        problems += _check_keywords(locale, store.keywords(locale))
        if MENU not in pages:
            problems.append(f"{locale}: no {MENU} page")
        answered = {page.intent for page in pages.values()}
        problems += [f"{locale}: no page for {i}" for i in TOPIC_INTENTS if i not in answered]
        for page in pages.values():
            problems += _check_page(locale, page, pages, limits)
        if locale != reference:
            problems += _compare_locales(reference, store.pages(reference), locale, pages)
    return problems


def _check_keywords(locale: str, keywords: dict[str, tuple[str, ...]]) -> list[str]:
    problems = [f"{locale}/{KEYWORDS_FILE}: no words for {c}" for c in COMMANDS if not keywords.get(c)]
    problems += [f"{locale}/{KEYWORDS_FILE}: unknown command {c}" for c in keywords if c not in COMMANDS]
    return problems


def _check_page(
    locale: str, page: Page, pages: dict[str, Page], limits: Mapping[str, int]
) -> list[str]:
    where = f"{locale}/{page.id}"
    problems = [f"{where}: choice {c} leads nowhere" for c in page.choices if c not in pages]
    if page.id != MENU and not page.sources:
        problems.append(f"{where}: no sources")
    if page.last_reviewed > date.today():
        problems.append(f"{where}: reviewed in the future")
    if page.sources and page.review_by is None:
        problems.append(f"{where}: no review_by date")
    if page.review_by is not None and page.review_by <= page.last_reviewed:
        problems.append(f"{where}: review_by is not after last_reviewed")
    problems += _check_slot(where, page, pages)
    if re.search(MARKUP, page.text):
        problems.append(f"{where}: markup characters render differently per channel")
    rendered = render_length(page, pages)
    problems += [
        f"{where}: {rendered} characters, over the {channel} limit of {limit}"
        for channel, limit in limits.items()
        if rendered > limit
    ]
    return problems


def _check_slot(where: str, page: Page, pages: dict[str, Page]) -> list[str]:
    slot = page.services
    if slot is None:
        return []
    problems = [] if slot.topic in pages else [f"{where}: services topic {slot.topic} is no page"]
    if slot.replaces is not None and slot.replaces.strip() not in paragraphs(page.text):
        problems.append(f"{where}: services replaces no paragraph of the text")
    if re.search(MARKUP, slot.lead):
        problems.append(f"{where}: markup characters in the services lead")
    return problems


def paragraphs(text: str) -> list[str]:
    """A page text's paragraphs (blank-line separated), stripped."""
    return [part.strip() for part in text.strip().split("\n\n")]


def render_length(page: Page, pages: dict[str, Page]) -> int:
    """A generous bound on the page as a numbered-choice message (review line included)."""
    review_line = 40
    choice_lines = sum(len(pages[c].title) + 6 for c in page.choices if c in pages) + 20
    choice_lines += 40 if page.handoff else 0
    return len(page.text) + review_line + choice_lines


def _compare_locales(
    ref_locale: str, ref: dict[str, Page], locale: str, pages: dict[str, Page]
) -> list[str]:
    problems = [f"{locale}: page {p} missing" for p in ref if p not in pages]
    problems += [f"{ref_locale}: page {p} missing" for p in pages if p not in ref]
    for page_id in ref.keys() & pages.keys():
        mine, theirs = pages[page_id], ref[page_id]
        for aspect in ("choices", "intent", "match", "handoff", "review_by"):
            if getattr(mine, aspect) != getattr(theirs, aspect):
                problems.append(f"{locale}/{page_id}: {aspect} differ from {ref_locale}")
        if _slot_topic(mine) != _slot_topic(theirs):
            problems.append(f"{locale}/{page_id}: services differ from {ref_locale}")
    return problems


def _slot_topic(page: Page) -> str | None:
    return page.services.topic if page.services else None


def stale(store: ContentStore, today: date) -> list[tuple[str, Page]]:
    """The pages (with their locale) whose ``review_by`` date is before ``today``."""
    return [
        (locale, page)
        for locale in store.locales
        for page in store.pages(locale).values()
        if page.review_by is not None and page.review_by < today
    ]
