"""The published tables of any period, as a property: every number shown is 5 or more, every
breakdown shows its total or hides it with at least one more of its counts (never exactly one
hidden cell beside a total), and a total shown in several tables reads the same in each."""

from collections import Counter
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli.reports import staff_labels
from bot.i18n import load_translator
from reports.campaign_funnel import CampaignFunnel
from reports.funnel import ReferralFunnel
from reports.period import Period
from reports.profiles import Profiles
from reports.published import published
from reports.reach import NewUsers
from reports.summary import Summary
from reports.suppression import HIDDEN, NOT_COUNTED, SMALL
from reports.timings import PriorityTimings, Spread

T = load_translator("en")
BREAKDOWNS = ("channels", "languages", "status", "outcomes", "topics", "priorities",
              "municipalities", "ages", "genders", "partners", "profile_status",
              "profile_municipalities", "profile_ages", "profile_genders")
PROFILE = st.lists(st.tuples(  # status, municipality, age band, gender (None: not given)
    st.sampled_from(["answered", "answered", "asked", "declined"]),
    st.sampled_from(["kukes", "has", None]), st.sampled_from(["18_24", "16_17", None]),
    st.sampled_from(["female", "male", "unsaid", None])), max_size=40)
USERS = st.lists(st.tuples(st.sampled_from(["telegram", "whatsapp", "web"]),
                           st.sampled_from(["sq", "en"])), max_size=40)
REFERRALS = st.lists(st.tuples(
    st.sampled_from(["new", "claimed", "closed", "closed", "withdrawn"]),
    st.sampled_from(["enrolled_training", "no_answer", None]),
    st.sampled_from(["jobs", "trainings", "migration"]),
    st.sampled_from(["urgent", "normal"]),
    st.sampled_from(["kukes", "has", "tropoje", None]),
    st.sampled_from(["Qendra VET", "", None]),  # "" as a partner, beside "not given"
), max_size=40)


def _summary(users: list[tuple[str, str]], made: list[tuple[str, str | None, str, str,
                                                          str | None, str | None]],
             asked: list[tuple[str, str | None, str | None, str | None]]) -> Summary:
    def count(values: list[str | None]) -> dict[str, int]:
        return dict(Counter(v for v in values if v is not None).most_common())

    closed = [r for r in made if r[0] == "closed"]
    return Summary(
        period=Period.quarter(2026, 3), generated_at=datetime(2026, 10, 2, tzinfo=UTC),
        campaigns=[],
        new_users=NewUsers(len(users), count([u[0] for u in users]),
                           count([u[1] for u in users])),
        referrals=ReferralFunnel(
            total=len(made), by_status=count([r[0] for r in made]),
            by_outcome=count([r[1] for r in closed]), by_topic=count([r[2] for r in made]),
            by_priority=count([r[3] for r in made]), by_channel={},
            by_partner=count([r[5] for r in made]),
            by_municipality=count([r[4] for r in made]), by_age_band={}, by_gender={}),
        timings=[PriorityTimings("normal", Spread(len(made), 1.0, 2.0), Spread(0, None, None))],
        campaign_funnel=[CampaignFunnel("poster", "Poster", len(users), len(users), None,
                                        len(made), len(closed), 0)],
        profiles=Profiles(count([a[0] for a in asked]), count([a[1] for a in asked]),
                          count([a[2] for a in asked]), count([a[3] for a in asked])),
    )


@settings(max_examples=150, deadline=None)
@given(USERS, REFERRALS, PROFILE)
def test_no_table_gives_away_a_small_count(
    users: list[tuple[str, str]],
    made: list[tuple[str, str | None, str, str, str | None, str | None]],
    asked: list[tuple[str, str | None, str | None, str | None]],
) -> None:
    report = published(_summary(users, made, asked), [], T, staff_labels(T))
    tables = {table.key: table for table in report.tables}

    for table in report.tables:
        for _, values in table.rows:
            for value in values:
                assert not isinstance(value, int) or value >= 5, (table.key, value)
    totals: dict[str, set[object]] = {}
    for key in BREAKDOWNS:
        column = [values[0] for _, values in tables[key].rows]
        hidden = sum(value in (SMALL, HIDDEN) for value in column)
        assert hidden != 1 or len(column) == 1, (key, tables[key].rows)  # 1: none to add up
        if key != "outcomes":  # the outcomes' total is the closed referrals' (below)
            group = ("users" if key in ("channels", "languages") else
                     "profiles" if key.startswith("profile_") else "referrals")
            totals.setdefault(group, set()).add(column[-1])
    assert all(len(shown) == 1 for shown in totals.values()), totals
    closed = dict(tables["status"].rows).get("closed", (0,))[0]
    if made and any(r[0] == "closed" for r in made):
        assert tables["outcomes"].rows[-1][1][0] == closed  # the closed ones' total, the same
    timing = tables["timings"].rows[0][1]
    assert (timing[1] == NOT_COUNTED) == (not isinstance(timing[0], int))


def test_each_opportunity_shows_its_positive_outcomes_beside_views_and_referrals() -> None:
    from reports.opportunity_counts import OpportunityCounts

    counted = [
        OpportunityCounts("kurs-it-has", "training", "Kurs IT në Has", views=40, interested=12,
                          referrals=9, outcomes={"enrolled_training": 6, "no_answer": 2,
                                                 "job_interview": 1},
                          alerts_sent=30, alerts_skipped={}),
        OpportunityCounts("pune-hoteli", "job", "Punë në hotel", views=8, interested=3,
                          referrals=1, outcomes={}, alerts_sent=None, alerts_skipped=None)]
    report = published(_summary([], [], []), counted, T, staff_labels(T))
    [table] = [table for table in report.tables if table.key == "opportunities"]

    assert table.columns == ("Opportunity", "Views", "Interested", "Referrals",
                             "Positive outcome", "Alerts sent")
    assert dict(table.rows) == {"Kurs IT në Has": (40, 12, 9, 7, 30),
                                "Punë në hotel": (8, SMALL, SMALL, SMALL, NOT_COUNTED)}
