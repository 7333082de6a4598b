"""Interface strings through Babel gettext catalogs, one per locale, never installed globally.

Message ids are stable keys (``"welcome.text"``), so no sentence lives in Python code; the ``sq``
catalog holds the Albanian and the ``en`` catalog the English. The ``.po`` files are compiled in
memory at start-up, so there is no build step and no binary file in git.
"""

from datetime import date
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.paths import LOCALE_DIR


def N_(key: str) -> str:
    """Marks a message key used later (e.g. in a table) so the catalog check sees it."""
    return key


class Translator:
    """The strings and date formats of one locale."""

    def __init__(self, locale: str, translations: Translations) -> None:
        self.locale = locale
        self._translations = translations

    def __call__(self, key: str, **values: object) -> str:
        text = self._translations.gettext(key)
        return text.format(**values) if values else text

    def date(self, value: date) -> str:
        """A date the CLDR way for this locale, e.g. "25 nëntor 2026"."""
        return format_date(value, format="long", locale=self.locale)


def catalog_path(locale: str, root: Path = LOCALE_DIR) -> Path:
    return root / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(locale: str, root: Path = LOCALE_DIR) -> Catalog:
    with catalog_path(locale, root).open("rb") as po:
        return read_po(po, locale=locale)


def load_translator(locale: str, root: Path = LOCALE_DIR) -> Translator:
    compiled = BytesIO()
    write_mo(compiled, read_catalog(locale, root))
    compiled.seek(0)
    return Translator(locale, Translations(fp=compiled))


def load_translators(locales: tuple[str, ...], root: Path = LOCALE_DIR) -> dict[str, Translator]:
    return {locale: load_translator(locale, root) for locale in locales}
