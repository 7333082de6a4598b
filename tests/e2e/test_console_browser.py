"""The staff console in a real browser: Debian's headless Chromium (driven by Playwright, never
a downloaded browser). A caseworker signs in with the keyboard only, sees the urgent referral
first, opens it, claims it, replies (the young person gets the reply on Telegram, the fake Bot
API) and closes it with an outcome (the Telegram staff group is told); a new referral shows in
the queue without a reload. The queue and the case
page are photographed at 360 px and 1280 px wide and have no horizontal scroll at 360 px, and
every form field on them has a label.

``CONSOLE_SCREENSHOTS=docs/`` also saves the screenshots there, for the README.
"""

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page
from pydantic import SecretStr

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import telegram
from bot.channels.web import create_app
from bot.config import Settings
from bot.storage import migrate
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.support.browser import NO_SIDEWAYS_SCROLL, SEEN, UNLABELLED, chromium, needs_chromium
from tests.support.console import (
    PASSWORD,
    console_routes,
    member,
    with_console,
    young_person_with_referral,
)
from tests.support.staff_group import CASEWORKER, STAFF_CHAT

YOUNG_PERSON = 5550002
pytestmark = needs_chromium



@dataclass
class World:
    api: FakeBotAPI
    container: Container
    url: str
    browser: Browser

    def t(self, key: str, **values: object) -> str:
        return self.container.translators["sq"](key, **values)


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    async with AsyncExitStack() as stack:
        api = FakeBotAPI()
        api_url = await stack.enter_async_context(serving(api))
        configured = with_console(settings).model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_staff_chat_id": STAFF_CHAT, "telegram_staff_user_ids": str(CASEWORKER)})
        container = await bootstrap.build(configured, migrate_sqlite=False)
        stack.push_async_callback(container.close)
        await migrate.upgrade(container.database)
        await bootstrap.seed_staff(container)
        channels = bootstrap.build_channels(configured, container, [telegram])
        app = create_app(container, channels,
                         pages=console_routes(container, configured, poll_seconds=0.5))
        url = await stack.enter_async_context(serving(app, lifespan="on"))
        browser = await chromium(stack)
        yield World(api, container, url, browser)


async def photograph(page: Page, folder: Path, name: str) -> None:
    """The page at 360 px (no sideways scroll) and at 1280 px, saved as PNGs."""
    for width in (360, 1280):
        await page.set_viewport_size({"width": width, "height": 800})
        path = folder / f"console-{name}-{width}.png"
        await page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        if width == 360:
            assert await page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at 360 px"
        if keep := os.environ.get("CONSOLE_SCREENSHOTS"):
            shutil.copy(path, Path(keep) / path.name)
    await page.set_viewport_size({"width": 360, "height": 800})
    assert await page.evaluate(UNLABELLED) == []


async def test_a_caseworker_handles_the_urgent_referral_in_the_browser(
    world: World, tmp_path: Path,
) -> None:
    t = world.t
    email = await member(world.container, "Anna")
    normal = await young_person_with_referral(world.container, "5550001")
    urgent = await young_person_with_referral(world.container, str(YOUNG_PERSON),
                                              priority="urgent", topic="smuggling")
    await world.api.wait_sent(2, STAFF_CHAT, timeout=SEEN / 1000)  # both cards in the group
    context = await world.browser.new_context(viewport={"width": 360, "height": 800})
    page = await context.new_page()

    await page.goto(f"{world.url}/staff/")  # not signed in: the sign-in page
    await page.get_by_label(t("console.login.email")).wait_for(timeout=SEEN)
    await page.keyboard.type(email)  # the e-mail field has the focus; keyboard only from here
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await page.get_by_role("heading", name=t("console.queue.title")).wait_for(timeout=SEEN)

    cards = page.locator(".queue > li")
    assert await cards.count() == 2
    assert (await cards.first.inner_text()).startswith(f"#{urgent} ")
    assert t("staff.priority.urgent") in await cards.first.inner_text()
    assert f"#{normal} " in await cards.nth(1).inner_text()
    await photograph(page, tmp_path, "queue")

    await cards.first.get_by_role("link").click()
    await page.get_by_role("heading", name=f"#{urgent} · {t('staff.topic.smuggling')}"
                           ).wait_for(timeout=SEEN)
    await photograph(page, tmp_path, "case")
    await page.get_by_role("button", name=t("console.action.claim")).click()
    await page.get_by_text(t("console.done.claimed")).wait_for(timeout=SEEN)
    assert t("handoff.claimed") in (await world.api.wait_sent(
        1, YOUNG_PERSON, timeout=SEEN / 1000))[-1]["text"]

    await page.get_by_label(t("console.action.reply_label")).fill("Tung! Të telefonoj sot.")
    await page.get_by_role("button", name=t("console.action.reply")).click()
    await page.get_by_text(t("console.done.answered")).wait_for(timeout=SEEN)
    reply = (await world.api.wait_sent(2, YOUNG_PERSON, timeout=SEEN / 1000))[-1]["text"]
    assert "Tung! Të telefonoj sot." in reply

    await page.get_by_label(t("console.action.outcome_label")).select_option("declined")
    await page.get_by_role("button", name=t("console.action.close")).click()
    await page.get_by_text(t("console.done.closed")).wait_for(timeout=SEEN)
    assert t("handoff.closed") in (await world.api.wait_sent(
        3, YOUNG_PERSON, timeout=SEEN / 1000))[-1]["text"]
    closed = t("staff.closed", id=urgent, staff="Anna", outcome=t("staff.outcome.declined"))
    await world.api.wait_for(
        lambda api: any(m["text"] == closed for m in api.sent(STAFF_CHAT)), SEEN / 1000)

    await page.get_by_role("link", name=t("console.back_to_queue")).click()
    await page.get_by_role("heading", name=t("console.queue.title")).wait_for(timeout=SEEN)
    assert await page.locator(".queue > li").count() == 1  # the closed one has left the queue

    await page.evaluate("window.notReloaded = true")
    newer = await young_person_with_referral(world.container, "5550003", topic="business")
    await page.locator(".queue > li", has_text=f"#{newer} ").wait_for(timeout=SEEN)
    assert await page.evaluate("window.notReloaded === true")  # it came without a reload
    await context.close()
