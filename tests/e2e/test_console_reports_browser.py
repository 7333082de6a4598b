"""The console's reports page in a real browser: Debian's headless Chromium (driven by
Playwright, never a downloaded browser). A supervisor signs in, opens the reports, sees the last
full quarter's tables and charts, picks the same dates in the form, and the page is
photographed at 360 px and 1280 px wide: no horizontal scroll at 360 px (the tables scroll in
their own box), every form field labelled, the charts shown and inside the screen.

``CONSOLE_SCREENSHOTS=docs/`` also saves the screenshots there, for the README.
"""

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.config import Settings
from bot.storage import migrate
from tests.fakes.server import serving
from tests.support.browser import NO_SIDEWAYS_SCROLL, SEEN, UNLABELLED, chromium, needs_chromium
from tests.support.console import PASSWORD, console_routes, member, with_console
from tests.support.referrals import Clock
from tests.support.report_pages import seed_with_profiles

NOW = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
pytestmark = needs_chromium

CHARTS_INSIDE = ("() => [...document.querySelectorAll('figure.chart svg')].map(s => {"
                 " const box = s.getBoundingClientRect();"
                 " return box.width > 100 && box.height > 40"
                 " && box.right <= document.documentElement.clientWidth + 1; })")


@dataclass
class World:
    container: Container
    url: str
    browser: Browser

    def t(self, key: str, **values: object) -> str:
        return self.container.translators["sq"](key, **values)


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    async with AsyncExitStack() as stack:
        configured = with_console(settings)
        container = await bootstrap.build(configured, migrate_sqlite=False)
        stack.push_async_callback(container.close)
        await migrate.upgrade(container.database)
        async with container.sessions() as session:
            await seed_with_profiles(session)
        app = create_app(container, pages=console_routes(container, configured,
                                                         clock=Clock(NOW)))
        url = await stack.enter_async_context(serving(app, lifespan="on"))
        browser = await chromium(stack)
        yield World(container, url, browser)


async def photograph(page: Page, folder: Path) -> None:
    """The page at 360 px (no sideways scroll, charts inside the screen) and at 1280 px: its
    first screen (for the README: on a laptop, down to the first charts) and all of it."""
    for width, height in ((360, 800), (1280, 1300)):
        await page.set_viewport_size({"width": width, "height": height})
        path = folder / f"console-reports-{width}.png"
        await page.screenshot(path=str(path))
        await page.screenshot(path=str(folder / f"console-reports-{width}-full.png"),
                              full_page=True)
        assert path.stat().st_size > 0
        if width == 360:
            assert await page.evaluate(NO_SIDEWAYS_SCROLL), "the reports scroll sideways"
            assert all(await page.evaluate(CHARTS_INSIDE))
        if keep := os.environ.get("CONSOLE_SCREENSHOTS"):
            shutil.copy(path, Path(keep) / path.name)
    await page.set_viewport_size({"width": 360, "height": 800})
    assert await page.evaluate(UNLABELLED) == []


async def test_a_supervisor_reads_the_quarters_report_on_a_phone_and_a_laptop(
    world: World, tmp_path: Path,
) -> None:
    t = world.t
    email = await member(world.container, "Drita", role="supervisor")
    context = await world.browser.new_context(viewport={"width": 360, "height": 800},
                                              accept_downloads=True)
    page = await context.new_page()
    await page.goto(f"{world.url}/staff/login")
    await page.get_by_label(t("console.login.email")).fill(email)
    await page.get_by_label(t("console.login.password")).fill(PASSWORD)
    await page.keyboard.press("Enter")
    await page.get_by_role("heading", name=t("console.queue.title")).wait_for(timeout=SEEN)

    await page.get_by_role("link", name=t("console.reports.nav")).click()
    await page.get_by_role("heading", name=t("console.reports.title"), level=1
                           ).wait_for(timeout=SEEN)
    assert await page.get_by_label(t("console.reports.from")).input_value() == "2026-07-01"
    assert await page.get_by_label(t("console.reports.to")).input_value() == "2026-09-30"
    campaigns = page.get_by_role("table", name=t("report.sheet.campaigns"))
    assert "Postera Kukës" in await campaigns.inner_text()
    charts = page.locator("figure.chart svg")
    assert await charts.count() == 8
    for number in range(await charts.count()):
        assert await charts.nth(number).is_visible()
    await photograph(page, tmp_path)

    await page.get_by_label(t("console.reports.from")).fill("2026-08-01")
    await page.get_by_role("button", name=t("console.reports.show")).click()
    await page.wait_for_url("**/staff/reports?from=2026-08-01&to=2026-09-30")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name=t("console.reports.xlsx")).click()
    download = await waiting.value
    assert download.suggested_filename == "report-2026-08-01-2026-09-30.xlsx"
    await context.close()
