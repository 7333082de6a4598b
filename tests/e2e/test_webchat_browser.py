"""The web chat in a real browser: Debian's headless Chromium (driven by Playwright, never a
downloaded browser) opens a campaign site on another origin that embeds the widget with one
script tag, talks to the bot, reloads and goes on, asks for a person, and sees a caseworker's
answer from the (fake) Telegram staff group appear; markup typed shows as text and runs
nothing; a site not in WEBCHAT_ALLOWED_ORIGINS is refused by the browser's CORS.

``WEBCHAT_SCREENSHOT=docs/webchat-panel.png`` saves the open panel for the README.
"""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, Page
from pydantic import SecretStr
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import telegram, webchat
from bot.channels.web import create_app
from bot.config import Settings
from bot.storage import migrate
from bot.storage.models import User
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.support.browser import SEEN, chromium, needs_chromium
from tests.support.staff_group import CASEWORKER, STAFF_CHAT
from tests.support.webchat import with_webchat

pytestmark = needs_chromium


def campaign_site(bot: list[str]) -> Starlette:
    """A campaign's page on an origin of its own, with the one-line embed of the bot at
    ``bot[0]`` (known once the bot is served, which needs the site's origin first)."""
    async def page(_request: Request) -> HTMLResponse:
        bot_url = bot[0]
        return HTMLResponse(
            "<!doctype html><html lang='sq'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width'><title>Fushata</title></head>"
            "<body><h1>Fushata</h1>"
            f'<script src="{bot_url}/webchat/widget.js" data-campaign="postera_kukes" '
            'data-lang="sq" defer></script></body></html>')
    return Starlette(routes=[Route("/", page)])


@dataclass
class World:
    api: FakeBotAPI
    container: Container
    site: str
    other_site: str
    browser: Browser

    def t(self, key: str, **values: object) -> str:
        return self.container.translators["sq"](key, **values)


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    async with AsyncExitStack() as stack:
        api = FakeBotAPI()
        api_url = await stack.enter_async_context(serving(api))
        bot_address: list[str] = []
        site_app = campaign_site(bot_address)
        site = await stack.enter_async_context(serving(site_app))
        other_site = await stack.enter_async_context(serving(site_app))
        configured = with_webchat(settings, site).model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_staff_chat_id": STAFF_CHAT, "telegram_staff_user_ids": str(CASEWORKER)})
        container = await bootstrap.build(configured, migrate_sqlite=False)
        stack.push_async_callback(container.close)
        await migrate.upgrade(container.database)
        await bootstrap.seed_staff(container)
        channels = bootstrap.build_channels(configured, container, [telegram, webchat])
        bot_address.append(await stack.enter_async_context(
            serving(create_app(container, channels), lifespan="on")))
        browser = await chromium(stack)
        yield World(api, container, site, other_site, browser)


async def bot_said(page: Page, text: str) -> None:
    await page.locator(".ybw-bot p", has_text=text).last.wait_for(timeout=SEEN)


async def tap(page: Page, label: str) -> None:
    await page.locator(".ybw-choice", has_text=label).last.click()


async def write(page: Page, text: str) -> None:
    answered = await page.locator(".ybw-bot").count()
    await page.get_by_role("textbox").fill(text)
    await page.keyboard.press("Enter")
    await page.wait_for_function(
        f"document.querySelectorAll('.ybw-bot').length > {answered}", timeout=SEEN)


async def test_a_young_person_on_a_campaign_site_reaches_a_caseworker(world: World) -> None:
    t = world.t
    context = await world.browser.new_context(viewport={"width": 320, "height": 640})
    page = await context.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message),
                                      asyncio.ensure_future(dialog.dismiss())))
    await page.goto(world.site)

    await page.get_by_role("button", name=t("webchat.open")).click()
    assert await page.get_by_role("textbox").evaluate("e => e === document.activeElement")
    await bot_said(page, t("welcome.text")[:30])
    await page.locator(".ybw-choice").first.click()  # the menu's first topic: trainings
    await bot_said(page, world.container.content.page("sq", "trainings").text.strip()[:30])
    await write(page, "a ka ndonji kurs për mu n'Kukës?")  # Gheg

    if shot := os.environ.get("WEBCHAT_SCREENSHOT"):
        await page.screenshot(path=shot)
    await page.reload()  # the conversation goes on where it was
    await bot_said(page, t("welcome.text")[:30])
    await tap(page, t("handoff.choice"))
    for label in (t("handoff.consent.yes"), t("handoff.municipality.has"),
                  t("handoff.age.18_24"), t("handoff.gender.unsaid")):
        await tap(page, label)
        await page.wait_for_timeout(300)
    await bot_said(page, t("handoff.contact.ask")[:20])
    contact = page.locator(".ybw-bot").last.locator(".ybw-choice")
    assert await contact.all_inner_texts() == [t("handoff.contact.chat"),
                                               t("handoff.contact.phone")]
    await tap(page, t("handoff.contact.chat"))
    await write(page, "Dua nje kurs per kuzhinier")
    await tap(page, t("handoff.confirm.send"))
    await bot_said(page, t("handoff.sent")[:20])

    [card] = [m for m in await world.api.wait_sent(1, STAFF_CHAT, timeout=SEEN / 1000)]
    assert t("staff.channel.web") in card["text"]
    await world.api.push_callback(STAFF_CHAT, "staff:claim:1", user_id=CASEWORKER)
    card_id = world.api.bot_messages(STAFF_CHAT)[0]["message_id"]
    await world.api.push_message(STAFF_CHAT, "Tung! Të shkruaj këtu.", user_id=CASEWORKER,
                                 reply_to=card_id)
    await bot_said(page, "Tung! Të shkruaj këtu.")  # within a few seconds, by polling

    await page.get_by_role("textbox").fill("<img src=x onerror=alert(1)>")
    await page.keyboard.press("Enter")
    await page.locator(".ybw-you p", has_text="<img src=x onerror=alert(1)>").wait_for(
        timeout=SEEN)
    await page.wait_for_timeout(500)
    assert await page.locator(".ybw img").count() == 0 and alerts == []
    await context.close()


async def test_a_site_not_listed_is_refused_by_the_browser(world: World) -> None:
    page = await world.browser.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    await page.goto(world.other_site)
    await page.get_by_role("button", name=world.t("webchat.open")).click()
    await bot_said(page, world.t("webchat.offline"))
    assert any("CORS" in line for line in refused)
    async with world.container.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
    await page.close()
