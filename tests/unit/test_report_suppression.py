"""The suppression rule of published reports, as a property: whatever the counts, every number
shown is 5 or more, every count under 5 is "<5", and no hidden count can be worked out from the
totals shown beside it (no equation "total = sum of its counts", alone or combined, fixes it)."""

from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import HIDDEN, NOT_COUNTED, SMALL, Relation, publish


def _rank(rows: list[list[Fraction]]) -> int:
    """The rank of a matrix, by Gaussian elimination over fractions."""
    rows = [row[:] for row in rows]
    rank = 0
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def determined(hidden: list[str], relations: list[Relation], key: str) -> bool:
    """Whether the shown figures and the relations fix the hidden figure ``key``: its unit
    vector lies in the row space of the relations over the hidden figures."""
    index = {name: i for i, name in enumerate(hidden)}
    rows = []
    for relation in relations:
        row = [Fraction(0)] * len(hidden)
        for name, sign in ((relation.total, 1), *((p, -1) for p in relation.parts)):
            if name in index:
                row[index[name]] += sign
        if any(row):
            rows.append(row)
    unit = [Fraction(int(name == key)) for name in hidden]
    return bool(rows) and _rank(rows) == _rank([*rows, unit])


# A population of young people, each with a channel, a language, a status and (for one status)
# an outcome: the shapes of the report's tables, several breakdowns of one total and one
# breakdown of a breakdown's count.
PEOPLE = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 3),
                            st.integers(0, 2)), max_size=40)


def figures(people: list[tuple[int, int, int, int]]) -> tuple[dict[str, int | None],
                                                             list[Relation]]:
    counts: dict[str, int | None] = {"total": len(people)}
    relations = []
    for name, values in (("channel", Counter(p[0] for p in people)),
                         ("language", Counter(p[1] for p in people)),
                         ("status", Counter(p[2] for p in people))):
        parts = tuple(f"{name}/{value}" for value in sorted(values))
        counts.update({f"{name}/{value}": count for value, count in values.items()})
        if parts:
            relations.append(Relation("total", parts))
    if counts.get("status/0"):  # outcomes break down one status (the closed referrals)
        outcomes = Counter(p[3] for p in people if p[2] == 0)
        counts.update({f"outcome/{value}": count for value, count in outcomes.items()})
        relations.append(Relation("status/0", tuple(f"outcome/{v}" for v in sorted(outcomes))))
    counts["not counted"] = None
    return counts, relations


@settings(max_examples=300, deadline=None)
@given(PEOPLE)
def test_no_published_figure_gives_away_a_small_count(
    people: list[tuple[int, int, int, int]],
) -> None:
    counts, relations = figures(people)
    shown = publish(counts, relations)

    assert shown["not counted"] == NOT_COUNTED
    for key, value in shown.items():
        count = counts[key]
        if isinstance(value, int):
            assert value == count and value >= 5
        elif count is not None:
            assert value == (SMALL if count < 5 else HIDDEN)
    hidden = [key for key, value in shown.items() if value in (SMALL, HIDDEN)]
    for key in hidden:
        if shown[key] == SMALL:
            assert not determined(hidden, relations, key), (key, shown)
    for relation in relations:  # beside a total: never exactly one hidden member
        members = (relation.total, *relation.parts)
        assert sum(shown[m] in (SMALL, HIDDEN) for m in members) != 1, (relation, shown)


def test_a_total_beside_a_small_count_is_hidden_and_its_other_breakdown_hides_one_more() -> None:
    counts: dict[str, int | None] = {"total": 20, "telegram": 17, "whatsapp": 3, "sq": 12,
                                     "en": 8}
    relations = [Relation("total", ("telegram", "whatsapp")), Relation("total", ("sq", "en"))]

    assert publish(counts, relations) == {"total": HIDDEN, "telegram": 17, "whatsapp": SMALL,
                                          "sq": 12, "en": HIDDEN}
    assert publish({"total": 30, "a": 10, "b": 20}, [Relation("total", ("a", "b"))]) == {
        "total": 30, "a": 10, "b": 20}


def test_the_check_sees_a_small_count_given_away_by_its_total() -> None:
    relations = [Relation("total", ("a", "b")), Relation("total", ("c", "d"))]
    assert determined(["b"], relations, "b")  # 20 shown beside 17: b is 3
    assert determined(["total", "b"], relations, "b")  # the other breakdown gives the total
    assert not determined(["total", "b", "d"], relations, "b")
