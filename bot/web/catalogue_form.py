"""The catalogue's columns as the console shows them: a form's fields, and each column's problem
in the catalogs' words. The checks themselves are the import's (``opportunities.validation``):
a problem names its row and column, and here the column's rule is said back to the member
(what the column takes), next to the field or the file's row."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.datastructures import FormData

from bot.i18n import N_
from bot.web.managing import text
from nlu.entities import entity_values
from opportunities.fields import KINDS, Column
from opportunities.validation import HEADER_ROW, Problem

_LIMITED = N_("console.manage.rule.text")
_REQUIRED = N_("console.manage.rule.required_text")
RULES: dict[str, "Rule"] = {
    "id": (N_("console.manage.rule.id"), {}),
    "kind": (N_("console.manage.rule.kind"), {"kinds": ", ".join(KINDS)}),
    "title_sq": (_REQUIRED, {"limit": 200}), "title_en": (_LIMITED, {"limit": 200}),
    "summary_sq": (_LIMITED, {"limit": 2000}), "summary_en": (_LIMITED, {"limit": 2000}),
    "organisation": (_LIMITED, {"limit": 200}),
    "municipalities": (N_("console.manage.rule.municipalities"), {}),
    "sectors": (N_("console.manage.rule.sectors"), {}),
    "min_age": (N_("console.manage.rule.age"), {}),
    "max_age": (N_("console.manage.rule.max_age"), {}),
    "deadline": (N_("console.manage.rule.deadline"), {}),
    "apply": (_LIMITED, {"limit": 1000}), "contact": (_LIMITED, {"limit": 500}),
    "source": (_LIMITED, {"limit": 500}), "checked": (N_("console.manage.rule.checked"), {}),
    "published": (N_("console.manage.rule.published"), {}),
    "topics": (N_("console.manage.rule.topics"), {}),
    "address": (_LIMITED, {"limit": 500}), "phone": (_LIMITED, {"limit": 64}),
    "hours": (_LIMITED, {"limit": 500}),
}
"""Each column's rule (a message id and its values), said when a cell or field breaks it."""
Rule = tuple[str, dict[str, object]]
UNKNOWN: Rule = (N_("console.manage.rule.unknown_column"), {})
TWICE: Rule = (N_("console.manage.rule.twice"), {})
MISSING: Rule = (N_("console.manage.rule.missing_column"), {})
LABELS = {
    "id": N_("console.manage.col.id"), "kind": N_("console.manage.col.kind"),
    "title_sq": N_("console.manage.col.title_sq"), "title_en": N_("console.manage.col.title_en"),
    "summary_sq": N_("console.manage.col.summary_sq"),
    "summary_en": N_("console.manage.col.summary_en"),
    "organisation": N_("console.manage.col.organisation"),
    "municipalities": N_("console.manage.col.municipalities"),
    "sectors": N_("console.manage.col.sectors"), "min_age": N_("console.manage.col.min_age"),
    "max_age": N_("console.manage.col.max_age"), "deadline": N_("console.manage.col.deadline"),
    "apply": N_("console.manage.col.apply"), "contact": N_("console.manage.col.contact"),
    "source": N_("console.manage.col.source"), "checked": N_("console.manage.col.checked"),
    "published": N_("console.manage.col.published"),
    "topics": N_("console.manage.col.topics"), "address": N_("console.manage.col.address"),
    "phone": N_("console.manage.col.phone"), "hours": N_("console.manage.col.hours"),
}
"""The forms' field labels."""
LONG = frozenset({"summary_sq", "summary_en", "apply", "contact", "address", "hours"})
"""Fields written in a text area."""


@dataclass(frozen=True)
class Shape:
    """One catalogue's form: its fields after ``id`` (``published`` is the last, a checkbox)
    and which of them take several values (one checkbox each, sent to the checks
    comma-separated)."""

    fields: tuple[str, ...]
    lists: frozenset[str]


OPPORTUNITY = Shape(("kind", "title_sq", "title_en", "summary_sq", "summary_en", "organisation",
                     "municipalities", "sectors", "min_age", "max_age", "deadline", "apply",
                     "contact", "source", "checked"),
                    frozenset({"municipalities", "sectors"}))
SERVICE = Shape(("title_sq", "title_en", "summary_sq", "summary_en", "organisation",
                 "municipalities", "topics", "address", "phone", "hours", "apply", "contact",
                 "source", "checked"),
                frozenset({"municipalities", "topics"}))


@dataclass(frozen=True)
class Said:
    """A problem as a page shows it: its row (0: a form's field) and column, and the rule."""

    row: int
    column: str
    key: str
    values: Mapping[str, object]


def said(problems: Sequence[Problem], header: Sequence[str],
         columns: Sequence[Column]) -> list[Said]:
    """The problems in the catalogs' words: a header's problem by what is wrong with the
    column, any other by the column's rule."""
    known = {column.name for column in columns}
    found = []
    for problem in problems:
        if problem.row == HEADER_ROW:
            rule = (UNKNOWN if problem.column not in known
                    else TWICE if header.count(problem.column) > 1 else MISSING)
        else:
            rule = RULES.get(problem.column, UNKNOWN)
        found.append(Said(problem.row, problem.column, rule[0], rule[1]))
    return found


def field_errors(problems: Sequence[Problem]) -> dict[str, Said]:
    """A form's problems by field (the first of each)."""
    found: dict[str, Said] = {}
    for one in said(problems, (), ()):
        found.setdefault(one.column, one)
    return found


def choices(topics: Sequence[str] = ()) -> dict[str, tuple[str, ...]]:
    """The values a list field or ``kind`` may take (``topics``: the content page ids)."""
    return {"kind": KINDS, "municipalities": entity_values("municipality"),
            "sectors": entity_values("sector"), "topics": tuple(topics)}


def from_form(form: FormData, shape: Shape) -> dict[str, str]:
    """The form's fields as a file's cells."""
    cells = {name: text(form, name) for name in ("id", *shape.fields) if name not in shape.lists}
    for name in shape.lists:
        cells[name] = ",".join(v for v in form.getlist(name) if isinstance(v, str))
    cells["published"] = "yes" if form.get("published") else "no"
    return cells
