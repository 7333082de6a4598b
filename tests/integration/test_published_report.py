"""A seeded quarter as a project manager publishes it: three campaigns in Kukës, Has and
Tropojë, their funnels, who asked for a person and what came of it, with small counts hidden
and no total giving one away; rows just outside the quarter are left out. On both databases."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.reports import staff_labels
from bot.i18n import load_translator
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from reports import campaign_funnel
from reports.opportunity_counts import per_opportunity
from reports.period import Period
from reports.published import PublishedReport, cells, published
from reports.summary import summary
from reports.suppression import HIDDEN, NOT_COUNTED, SMALL
from tests.support.quarter import GENERATED, Q3, seed


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        async with session_factory(engine)() as seeding:
            await seed(seeding)
        async with session_factory(engine)() as reading:
            yield reading
    finally:
        await engine.dispose()


async def _published(session: AsyncSession, locale: str = "en") -> PublishedReport:
    t = load_translator(locale)
    figures = await summary(session, Q3, GENERATED, None)
    return published(figures, await per_opportunity(session, Q3), t, staff_labels(t))


async def test_each_campaigns_funnel_counts_its_own_people_in_the_quarter(
    session: AsyncSession,
) -> None:
    rows = await campaign_funnel.per_campaign(session, Q3)

    assert [(r.code, r.started, r.new_users, r.talked, r.asked, r.closed, r.positive)
            for r in rows] == [
        ("poster_kukes", 14, 12, 9, 7, 6, 5),
        ("tiktok_has", 8, 6, 5, 3, 2, 1),
        ("school_tropoje", 3, 3, 2, 2, 1, 0),
        (None, 2, 0, 0, 0, 0, 0),
    ]
    everything = {r.code: (r.started, r.new_users, r.asked, r.positive)
                  for r in await campaign_funnel.per_campaign(session)}
    assert everything["poster_kukes"] == (15, 13, 8, 6)  # the one of 30 June
    assert everything["tiktok_has"] == (9, 7, 4, 2)  # the one of 1 October
    assert everything["school_tropoje"] == (3, 3, 3, 0)  # asked in October


async def test_talking_is_not_counted_where_the_message_log_was_emptied(
    session: AsyncSession,
) -> None:
    kept_from = datetime(2026, 8, 1, tzinfo=UTC)  # retention deleted July's messages

    rows = await campaign_funnel.per_campaign(session, Q3, log_kept_from=kept_from)
    recent = await campaign_funnel.per_campaign(session, Period(kept_from.date(), None),
                                                log_kept_from=kept_from)

    assert [r.talked for r in rows] == [None, None, None, None]
    assert [r.asked for r in rows] == [7, 3, 2, 0]
    assert all(r.talked is not None for r in recent)


async def test_the_published_quarter_hides_small_counts_and_the_totals_beside_them(
    session: AsyncSession,
) -> None:
    report = await _published(session)
    found = cells(report)

    def table(key: str, column: str = "Count") -> dict[str, object]:
        return {row: value for (name, row, heading), value in found.items()
                if name == key and heading == column}

    assert [t.key for t in report.tables] == [
        "campaigns", "channels", "languages", "profile_status", "profile_municipalities",
        "profile_ages", "profile_genders", "status", "outcomes", "helped", "topics",
        "priorities", "municipalities", "ages", "genders", "partners", "timings",
        "timings_by_month", "opportunities"]
    assert report.tables[0].columns == (
        "Campaign", "Started by the link", "New users", "Talked to the bot (2+ messages)",
        "Asked for a person", "Referral closed", "Positive outcome")
    assert [(label, values) for label, values in report.tables[0].rows] == [
        ("Postera Kukës", (14, 12, 9, 7, 6, 5)),
        ("TikTok Has", (8, 6, 5, SMALL, SMALL, SMALL)),
        ("Shkolla Tropojë", (SMALL,) * 6),
        ("Unknown codes", (SMALL, *(NOT_COUNTED,) * 5)),
    ]
    # 25 new users: 16 on Telegram, 6 on WhatsApp, 3 on the web chat. The 3 are "<5", so the
    # total is hidden, and so is the smaller count of the other breakdown of the same total
    # (English: 5), or 25 - 20 would give the total back.
    assert table("channels", "Count") == {"Telegram": 16, "WhatsApp": 6, "Web chat": SMALL,
                                          "Total": HIDDEN}
    assert table("languages") == {"Albanian": 20, "English": HIDDEN, "Total": HIDDEN}
    # 14 referrals (one young person made two; the October one is left out)
    assert table("status") == {"closed": HIDDEN, "new": SMALL, "claimed": SMALL,
                               "in contact": SMALL, "withdrawn": SMALL, "Total": HIDDEN}
    assert table("topics") == {"Jobs": 8, "Trainings": HIDDEN, "Total": HIDDEN}
    assert table("municipalities") == {"Kukës": 8, "Has": SMALL, "Tropojë": SMALL,
                                       "Not given": SMALL, "Total": HIDDEN}
    assert set(table("outcomes").values()) == {SMALL, HIDDEN}  # 3, 2, 1, 1, 1, 1 of 9 closed
    assert table("outcomes")["Total"] == HIDDEN
    assert table("partners") == {"Qendra VET": 5, "Migrim i Ligjshëm": SMALL, "Not given": 8,
                                 "Total": HIDDEN}
    timings = {label: values for label, values in report.tables[-3].rows}
    by_month = {label: values for label, values in report.tables[-2].rows}
    assert list(by_month) == [  # 7 + 2 normal and 1 + 1 urgent: the 9 and 2 by priority
        "2026-07 · ⚪ normal", "2026-08 · 🔴 URGENT", "2026-08 · ⚪ normal",
        "2026-09 · 🔴 URGENT"]
    assert by_month["2026-07 · ⚪ normal"] == (7, 30.0, 30.0, 7, 60.0, 60.0)
    assert by_month["2026-08 · ⚪ normal"] == (SMALL, NOT_COUNTED, NOT_COUNTED, SMALL,
                                              NOT_COUNTED, NOT_COUNTED)
    assert table("helped") == {"Total": SMALL}  # nobody in the quarter answered it
    assert timings["⚪ normal"] == (9, 30.0, 30.0, 9, 60.0, 60.0)
    assert timings["🔴 URGENT"] == (SMALL, NOT_COUNTED, NOT_COUNTED, SMALL, NOT_COUNTED,
                                 NOT_COUNTED)
    shown = [v for v in found.values() if isinstance(v, int)]
    assert shown and min(shown) >= 5
    text = repr(report)
    assert "+355691234567" not in text and "q3-" not in text


async def test_the_cover_says_the_period_when_and_the_rule_in_albanian(
    session: AsyncSession,
) -> None:
    report = await _published(session, "sq")

    assert report.cover[:3] == (("Raporti i programit", ""),
                                ("Periudha", "2026-07-01 – 2026-09-30"),
                                ("Krijuar më", "2026-10-02 08:00 UTC"))
    assert report.cover[3][1].startswith("Çdo numër nën 5 shfaqet si \"<5\"")
    assert report.tables[0].title == "Fushatat"
