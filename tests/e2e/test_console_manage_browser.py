"""The console's opportunity form in a real browser (Debian's headless Chromium through
Playwright, never a downloaded browser), at 360 px: a supervisor goes from the nav's link to the
form, saves with a deadline in the past and sees the rule next to that field, fixes it, and
the new opportunity is in the list and offered by the bot. No page scrolls sideways at 360 px
and every field has a label."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest
from playwright.async_api import Browser, Page

from bot import bootstrap
from bot.channels.web import create_app
from bot.config import Settings
from bot.storage import migrate
from tests.fakes.server import serving
from tests.support.browser import NO_SIDEWAYS_SCROLL, SEEN, UNLABELLED, chromium, needs_chromium
from tests.support.catalogue_rows import TODAY
from tests.support.console import PASSWORD, console_routes, member, with_console

pytestmark = needs_chromium


@pytest.fixture
async def served(settings: Settings) -> AsyncIterator[tuple[bootstrap.Container, str, Browser]]:
    async with AsyncExitStack() as stack:
        configured = with_console(settings)
        container = await bootstrap.build(configured, migrate_sqlite=False)
        stack.push_async_callback(container.close)
        await migrate.upgrade(container.database)
        app = create_app(container, pages=console_routes(container, configured))
        url = await stack.enter_async_context(serving(app, lifespan="on"))
        browser = await chromium(stack)
        yield container, url, browser


async def fits(page: Page) -> None:
    assert await page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at 360 px"
    assert await page.evaluate(UNLABELLED) == []


async def test_a_supervisor_adds_an_opportunity_through_the_form_at_360_px(
    served: tuple[bootstrap.Container, str, Browser],
) -> None:
    container, url, browser = served
    t = container.translators["sq"]
    email = await member(container, "Sara", "supervisor")
    context = await browser.new_context(viewport={"width": 360, "height": 800})
    page = await context.new_page()
    await page.goto(f"{url}/staff/login")
    await page.get_by_label(t("console.login.email")).fill(email)
    await page.get_by_label(t("console.login.password")).fill(PASSWORD)
    await page.get_by_label(t("console.login.password")).press("Enter")
    await page.get_by_role("heading", name=t("console.queue.title")).wait_for(timeout=SEEN)

    await page.get_by_role("link", name=t("console.manage.nav")).click()
    await page.get_by_role("link", name=t("console.opportunities.title")).click()
    await page.get_by_role("heading", name=t("console.opportunities.title")).wait_for(timeout=SEEN)
    await page.get_by_role("link", name=t("console.opportunities.new")).click()
    await page.get_by_role("heading", name=t("console.opportunities.new")).wait_for(timeout=SEEN)
    await fits(page)

    await page.get_by_label(t("console.manage.col.id")).fill("kurs-kuzhine")
    await page.get_by_label(t("console.manage.col.kind")).select_option("training")
    await page.get_by_label(t("console.manage.col.title_sq")).fill("Kurs kuzhine në Has")
    await page.get_by_label(t("handoff.municipality.has")).check()
    await page.get_by_label(t("console.manage.col.deadline")).fill(
        (TODAY - timedelta(days=1)).isoformat())
    await page.get_by_label(t("console.manage.col.checked")).fill(TODAY.isoformat())
    await page.get_by_label(t("console.manage.col.published")).check()
    await page.get_by_role("button", name=t("console.opportunities.save")).click()
    await page.get_by_text(t("console.manage.rule.deadline")).wait_for(timeout=SEEN)
    await fits(page)
    async with container.unit_of_work() as uow:
        assert await uow.catalogue.open_opportunities(TODAY) == []

    await page.get_by_label(t("console.manage.col.deadline")).fill(
        (TODAY + timedelta(days=20)).isoformat())
    await page.get_by_role("button", name=t("console.opportunities.save")).click()
    await page.get_by_text(t("console.manage.done.created")).wait_for(timeout=SEEN)
    assert "Kurs kuzhine në Has" in await page.locator("#opportunity-kurs-kuzhine").inner_text()
    await fits(page)
    async with container.unit_of_work() as uow:
        offered = await uow.catalogue.open_opportunities(TODAY)
        assert [(o.id, o.municipalities) for o in offered] == [("kurs-kuzhine", ["has"])]
    await context.close()
