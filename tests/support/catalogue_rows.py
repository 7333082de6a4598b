"""Catalogue files for tests: rows of opportunities and services, as CSV or XLSX."""

from datetime import date, timedelta
from pathlib import Path

from opportunities.fields import opportunity_columns
from opportunities.files import write_table

OPPORTUNITY_HEADER = [column.name for column in opportunity_columns()]
SERVICE_HEADER = ["id", "title_sq", "title_en", "summary_sq", "summary_en", "organisation",
                  "municipalities", "topics", "address", "phone", "hours", "apply", "contact",
                  "source", "checked"]
TODAY = date.today()
SECTORS = ("ict", "tourism", "hospitality", "agriculture", "")
PLACES = ("has", "tropoje", "kukes", "", "has,tropoje")


def opportunity(number: int, **changes: str) -> dict[str, str]:
    """The ``number``th of a varied set of valid rows; ``changes`` overwrite cells."""
    row = {
        "id": f"opp-{number:03d}", "kind": ("training", "job", "internship", "grant", "other")[
            number % 5],
        "title_sq": f"Mundësi numër {number}", "title_en": f"Opportunity {number}",
        "summary_sq": "Përshkrim i shkurtër", "summary_en": "A short summary",
        "organisation": "Shembull (example)", "municipalities": PLACES[number % 5],
        "sectors": SECTORS[number % 5], "min_age": "16" if number % 2 else "",
        "max_age": "29" if number % 2 else "",
        "deadline": (TODAY + timedelta(days=10 + number)).isoformat() if number % 3 else "",
        "apply": f"https://example.org/apply/{number}", "contact": "info@example.org",
        "source": "https://example.org", "checked": (TODAY - timedelta(days=3)).isoformat(),
    }
    return row | changes


def service(number: int, **changes: str) -> dict[str, str]:
    row = {
        "id": f"svc-{number:02d}", "title_sq": f"Zyra shembull {number}",
        "title_en": f"Example office {number}", "summary_sq": "", "summary_en": "",
        "organisation": "Shembull (example)", "municipalities": PLACES[number % 3],
        "topics": "jobs,jobs.portal", "address": "Rruga Shembull 1 (example)",
        "phone": "+355 00 000 000", "hours": "E hënë–e premte 08:00–16:00",
        "apply": "", "contact": "office@example.org", "source": "https://example.org",
        "checked": (TODAY - timedelta(days=30)).isoformat(),
    }
    return row | changes


def write(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    names = header or list(rows[0])
    write_table(path, names, [[row.get(name, "") for name in names] for row in rows])
    return path
