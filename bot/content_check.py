"""``youthbot content check``: the content files and the interface catalogs, every locale."""

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir

from bot import content
from bot.config import LOCALES
from bot.i18n import read_catalog
from bot.paths import PACKAGE_DIR

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def problems(content_dir: Path, limits: Mapping[str, int] | None = None) -> list[str]:
    """Everything wrong with the content and catalogs; ``limits``: each channel's limit on one
    message, by name (``bot.bootstrap.text_limits()``)."""
    found: list[str] = []
    try:
        content.load(content_dir, LOCALES, limits)
    except content.ContentError as error:
        found += error.problems
    return found + catalog_problems()


def stale(content_dir: Path, today: date | None = None) -> list[str]:
    """One line per page past its ``review_by`` date, the most overdue first; none when the
    content does not load (``content check`` reports that)."""
    try:
        store = content.load(content_dir, LOCALES)
    except content.ContentError:
        return []
    overdue = sorted(
        content.stale(store, today or date.today()),
        key=lambda found: (found[1].review_by, found[1].id, found[0]),
    )
    return [
        f"{locale}/{page.id}: review by {page.review_by} (facts of {page.last_reviewed})"
        for locale, page in overdue
    ]


TEXT_PACKAGES = (PACKAGE_DIR, *(PACKAGE_DIR.parent / name for name in ("opportunities", "reports")))
"""The packages that say things to users (the opportunities' alerts are written by their
broadcast) or to staff (the published reports' headings)."""


def keys_in_code(roots: tuple[Path, ...] = TEXT_PACKAGES) -> set[str]:
    """Every message key the code asks a translator for (``t("key")`` or ``_("key")``), in
    Python and in the staff console's Jinja templates."""
    keywords = {"t": None, "_": None, "N_": None}
    return {
        message
        for root in roots
        for _file, _line, message, _comments, _context in extract_from_dir(
            root, method_map=[("**.py", "python"),
                              ("web/templates/**.html", "jinja2.ext:babel_extract")],
            keywords=keywords,
        )
        if isinstance(message, str)
    }


def catalog_problems() -> list[str]:
    """Each key used in code has a non-empty text in every locale, with the same placeholders."""
    found: list[str] = []
    needed = keys_in_code()
    texts = {
        locale: {m.id: m.string for m in read_catalog(locale) if m.id} for locale in LOCALES
    }
    for locale, catalog in texts.items():
        found += [f"{locale}.po: {key} untranslated" for key in sorted(needed) if not catalog.get(key)]
        found += [f"{locale}.po: {key} is not used" for key in sorted(catalog.keys() - needed)]
    for key in sorted(needed):
        shapes = {frozenset(_PLACEHOLDER.findall(str(texts[loc].get(key) or ""))) for loc in LOCALES}
        if len(shapes) > 1:
            found.append(f"{key}: placeholders differ between locales")
    return found
