"""The console's reports page over HTTP, as a project manager meets it: the seeded quarter (the
last full one, by default) with small counts hidden as in the published workbook, the profile
question's tables, charts in the page, the .xlsx and .csv of the same period, who may see it
(403 for the others, by URL too), dates that cannot be read (400, never 500) and a log line a
visit. On both databases."""

import csv
import io
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from openpyxl import load_workbook

from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.cli.reports import staff_labels
from bot.staff.permissions import ALLOWED, Permission, Role
from reports.files import sheet_names
from reports.opportunity_counts import per_opportunity
from reports.published import published
from reports.summary import summary
from tests.support.console import console_routes, member, sign_in
from tests.support.quarter import Q3
from tests.support.referrals import Clock
from tests.support.report_pages import seed_with_profiles, tables

NOW = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
"""Mid-October: the last full quarter is the third."""
SMALL, HIDDEN = "<5", "*"
DOWNLOADS = ("/staff/reports.xlsx", "/staff/reports.csv")


@pytest.fixture
async def client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    async with container.sessions() as session:
        await seed_with_profiles(session)
    app = create_app(container, pages=console_routes(container, clock=Clock(NOW)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as c:
        yield c


async def signed_in(container: Container, client: httpx.AsyncClient, role: str,
                    partner: str | None = None) -> None:
    email = await member(container, role.capitalize(), role=role, partner=partner)
    assert (await sign_in(client, email)).status_code == 303


async def test_a_supervisor_sees_the_last_quarter_with_small_counts_hidden(
    container: Container, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="youthbot.console")
    await signed_in(container, client, "supervisor")
    en = container.translators["en"]

    page = await client.get("/staff/reports?lang=en")

    assert page.status_code == 200
    assert 'value="2026-07-01"' in page.text and 'value="2026-09-30"' in page.text
    assert 'href="/staff/reports" aria-current="page"' in page.text
    found = tables(page.text)
    shown = found.found

    def table(key: str) -> dict[str, list[str]]:
        return shown[en(f"report.sheet.{key}")]

    assert list(shown)[:3] == [en("report.sheet.campaigns"), en("report.sheet.channels"),
                               en("report.sheet.languages")]
    assert found.columns[en("report.sheet.campaigns")][1:] == [
        "Started by the link", "New users", "Talked to the bot (2+ messages)",
        "Asked for a person", "Referral closed", "Positive outcome"]
    assert table("campaigns") == {
        "Postera Kukës": ["14", "12", "9", "7", "6", "5"],
        "TikTok Has": ["8", "6", "5", SMALL, SMALL, SMALL],
        "Shkolla Tropojë": [SMALL] * 6,
        "Unknown codes": [SMALL, *[".."] * 5],
    }
    assert table("channels") == {"Telegram": ["16"], "WhatsApp": ["6"], "Web chat": [SMALL],
                                 "Total": [HIDDEN]}
    assert table("languages") == {"Albanian": ["20"], "English": [HIDDEN], "Total": [HIDDEN]}
    assert table("status") == {"closed": [HIDDEN], "new": [SMALL], "claimed": [SMALL],
                               "in contact": [SMALL], "withdrawn": [SMALL], "Total": [HIDDEN]}
    assert table("municipalities") == {"Kukës": ["8"], "Has": [SMALL], "Tropojë": [SMALL],
                                       "Not given": [SMALL], "Total": [HIDDEN]}
    assert table("partners") == {"Qendra VET": ["5"], "Migrim i Ligjshëm": [SMALL],
                                 "Not given": ["8"], "Total": [HIDDEN]}
    # the profile question: 10 answered, 2 declined, 1 left it half-way (13 asked)
    assert table("profile_status") == {"Answered": ["10"], "Declined": [SMALL],
                                       "Left unfinished": [SMALL], "Total": [HIDDEN]}
    assert table("profile_municipalities") == {"Kukës": ["10"], "Has": [SMALL],
                                               "Not given": [SMALL], "Total": [HIDDEN]}
    assert table("profile_ages") == {"18–24": ["10"], "Not given": [SMALL], "Total": [HIDDEN]}
    assert table("profile_genders") == {"Female": ["5"], "Male": ["5"],
                                        "Not given": [SMALL], "Total": [HIDDEN]}
    assert set(found.scopes) == {"col", "row"}
    # charts: a funnel a campaign, then new users by channel, status, outcomes, municipalities
    assert page.text.count("<svg ") == 4 + 4
    assert 'role="img"' in page.text and "style=" not in page.text
    assert '/staff/reports.xlsx?from=2026-07-01&amp;to=2026-09-30' in page.text
    assert "+355691234567" not in page.text and "q3-" not in page.text
    visits = [r.fields for r in caplog.records  # type: ignore[attr-defined]
              if r.getMessage() == "console report"]
    assert visits == [{"member": visits[0]["member"], "kind": "page", "from": "2026-07-01",
                       "to": "2026-09-30"}]


async def test_the_roles_that_may_see_reports_see_them_and_the_others_get_403(
    container: Container, client: httpx.AsyncClient,
) -> None:
    for role in Role:  # supervisor, admin, viewer may; caseworker and partner may not
        allowed = Permission.SEE_REPORTS in ALLOWED[role]
        client.cookies.clear()
        await signed_in(container, client, role.value,
                        "Qendra VET" if role is Role.PARTNER else None)
        in_nav = 'href="/staff/reports">' in (await client.get("/staff/")).text
        assert in_nav == allowed, role
        for path in ("/staff/reports", *DOWNLOADS):
            got = await client.get(f"{path}?from=2026-07-01&to=2026-09-30")
            assert got.status_code == (200 if allowed else 403), (role, path)
            if not path.endswith(".xlsx"):  # a zip: its text is compressed
                assert ("Postera" in got.text) == allowed, (role, path)
    assert {r for r in Role if Permission.SEE_REPORTS in ALLOWED[r]} == {
        Role.SUPERVISOR, Role.ADMIN, Role.VIEWER}

    client.cookies.clear()  # signed out: to the sign-in page
    gone = await client.get("/staff/reports")
    assert gone.status_code == 303 and gone.headers["location"] == "/staff/login"


async def test_the_xlsx_has_the_cover_and_the_sheets_of_youthbot_report(
    container: Container, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="youthbot.console")
    await signed_in(container, client, "admin")

    got = await client.get("/staff/reports.xlsx?from=2026-07-01&to=2026-09-30&lang=en")

    assert got.status_code == 200
    assert got.headers["content-disposition"] == (
        'attachment; filename="report-2026-07-01-2026-09-30.xlsx"')
    book = load_workbook(io.BytesIO(got.content))
    t = container.translators["en"]
    async with container.sessions() as session:  # as `youthbot report --out q3.xlsx` makes it
        made = published(await summary(session, Q3, NOW, None),
                         await per_opportunity(session, Q3), t, staff_labels(t))
    assert book.sheetnames == sheet_names(made, t)
    assert book.sheetnames[0] == "Cover" and "Profiles by gender" in book.sheetnames
    cover = book["Cover"]
    assert cover["B2"].value == "2026-07-01 – 2026-09-30"
    channels = [[c.value for c in row] for row in book["New users by channel"].iter_rows()]
    assert channels == [["Channel", "Count"], ["Telegram", 16], ["WhatsApp", 6],
                        ["Web chat", SMALL], ["Total", HIDDEN]]

    text = await client.get("/staff/reports.csv?from=2026-07-01&to=2026-09-30&lang=en")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/csv")
    assert text.headers["content-disposition"].endswith('.csv"')
    lines = list(csv.reader(io.StringIO(text.text)))
    assert lines[0] == ["table", "row", "column", "value"]
    assert ["Profiles by gender", "Female", "Count", "5"] in lines
    assert "+355691234567" not in text.text
    kinds = [r.fields["kind"] for r in caplog.records  # type: ignore[attr-defined]
             if r.getMessage() == "console report"]
    assert kinds == ["xlsx", "csv"]


async def test_a_period_with_nothing_in_it_shows_empty_tables(
    container: Container, client: httpx.AsyncClient,
) -> None:
    await signed_in(container, client, "viewer")

    page = await client.get("/staff/reports?from=2020-01-01&to=2020-03-31&lang=en")

    assert page.status_code == 200
    shown = tables(page.text).found
    assert shown["New users by channel"] == {"Total": [SMALL]}
    assert shown["Profile question"] == {"Total": [SMALL]}
    assert page.text.count("<svg ") == 3  # the three campaigns' funnels, all "<5"


@pytest.mark.parametrize("query", [
    "from=2026-13-01&to=2026-09-30", "from=abc&to=2026-09-30", "from=2026-07-01",
    "from=2026-09-30&to=2026-07-01", "from=0001-01-01&to=9999-12-31",
    "from=2026-07-01&to=2026-07-01T00:00", "from=" + "9" * 5000 + "&to=2026-09-30",
    "from=%00&to=%3Cscript%3E",
])
async def test_dates_that_cannot_be_read_get_a_message_not_an_error(
    container: Container, client: httpx.AsyncClient, query: str,
) -> None:
    await signed_in(container, client, "supervisor")
    en = container.translators["en"]

    page = await client.get(f"/staff/reports?{query}&lang=en")

    assert page.status_code == 400
    expected = ("console.reports.bad_order" if query.startswith("from=2026-09-30")
                else "console.reports.bad_date")
    assert en(expected) in page.text and "<table" not in page.text
    assert "<script>" not in page.text
    for path in DOWNLOADS:
        assert (await client.get(f"{path}?{query}")).status_code == 400
    assert (await client.get("/staff/reports.pdf")).status_code == 404
