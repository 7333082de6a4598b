"""The example files in docs/ are what the README says: valid files of clearly fictional rows,
none of them shown to users (``published`` is ``no``)."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot import content
from bot.config import CONTENT_DIR, LOCALES
from opportunities import importing

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _catalogues() -> dict[str, importing.Catalogue[Any]]:
    store = content.load(CONTENT_DIR, LOCALES)
    return {"opportunities": importing.opportunities(),
            "services": importing.services(sorted(store.pages(store.locales[0])))}


@pytest.mark.parametrize("name", ["opportunities", "services"])
def test_the_example_file_imports_and_shows_nothing(name: str) -> None:
    checked = importing.check_file(_catalogues()[name], DOCS / f"{name}-example.csv",
                                   date.today())
    assert [str(p) for p in checked.problems] == []
    assert checked.records
    for record in checked.records:
        assert record["organisation"] == "Shembull (example)"
        assert record["published"] is False
        assert "example" in record["title_sq"] and "example" in record["contact"]
