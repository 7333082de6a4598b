"""The staff console's WhatsApp leg in a real browser (Debian's headless Chromium): a young
person on WhatsApp (the fake Twilio) asks for a person; a caseworker signs in to the console,
sees WhatsApp's window open, claims the referral and replies, and the young person gets the
reply on WhatsApp; what they write back shows in the case page's conversation; the caseworker
closes with an outcome and a partner organisation from the list, the young person is told, and
the Telegram staff group (the fake Bot API), where a second caseworker is, reads it closed."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser
from pydantic import SecretStr
from sqlalchemy import select

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.channels.whatsapp import WEBHOOK_PATH
from bot.config import Settings
from bot.storage import migrate
from bot.storage.models import Referral
from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import TOKEN, FakeBotAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, FakeTwilio
from tests.fakes.twilio_api import USER as WA_USER
from tests.support.browser import SEEN, UNLABELLED, chromium, needs_chromium
from tests.support.console import PASSWORD, console_routes, member, with_console
from tests.support.staff_group import CASEWORKER, STAFF_CHAT, WAIT
from tests.support.whatsapp import PUBLIC, TEMPLATE, conversation

PARTNER = "Qendra Rinore Kukës"
pytestmark = needs_chromium


@dataclass
class World:
    api: FakeBotAPI
    twilio: FakeTwilio
    container: Container
    url: str
    browser: Browser

    def t(self, key: str, **values: object) -> str:
        return self.container.translators["sq"](key, **values)


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    async with AsyncExitStack() as stack:
        api, twilio = FakeBotAPI(), FakeTwilio(webhook_url=PUBLIC + WEBHOOK_PATH)
        api_url = await stack.enter_async_context(serving(api))
        twilio_url = await stack.enter_async_context(serving(twilio))
        configured = with_console(settings).model_copy(update={
            "telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": f"{api_url}/bot",
            "telegram_staff_chat_id": STAFF_CHAT, "telegram_staff_user_ids": str(CASEWORKER),
            "twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "twilio_whatsapp_number": BOT_NUMBER, "twilio_api_base_url": twilio_url,
            "public_base_url": PUBLIC, "twilio_waiting_templates": {"sq": TEMPLATE},
        })
        container = await bootstrap.build(configured, migrate_sqlite=False)
        stack.push_async_callback(container.close)
        await migrate.upgrade(container.database)
        channels = bootstrap.build_channels(configured, container)  # both, as `youthbot run`
        plain = configured.model_copy(update={"public_base_url": None})  # the browser: http
        app = create_app(container, channels, pages=console_routes(container, plain))
        url = await stack.enter_async_context(serving(app, lifespan="on"))
        twilio.route_public(PUBLIC, url)
        stack.push_async_callback(twilio.settle)
        browser = await chromium(stack)
        yield World(api, twilio, container, url, browser)


async def test_a_caseworker_answers_a_whatsapp_referral_from_the_console(world: World) -> None:
    t = world.t
    email = await member(world.container, "Anna")
    await member(world.container, "Drita", role="partner", partner=PARTNER)
    say = conversation(world.twilio, WAIT)
    await say("tung", 1)
    assert t("handoff.choice") in await say("si te hap nje biznes", 2)
    assert t("handoff.consent.ask") in await say("1", 3)  # the first choice: a person
    for number, answer in enumerate(("1", "2", "3", "4", "1"), start=4):  # yes, Has, 18-24, …
        await say(answer, number)
    assert "Has" in await say("Dua te hap nje furre buke", 9)
    assert t("handoff.sent") in await say("1", 10)
    await world.api.wait_sent(1, STAFF_CHAT, timeout=WAIT)  # the card in the staff group
    async with world.container.sessions() as session:
        referral = (await session.scalars(select(Referral.id))).one()

    context = await world.browser.new_context(viewport={"width": 360, "height": 800})
    page = await context.new_page()
    await page.goto(f"{world.url}/staff/login")
    await page.get_by_label(t("console.login.email")).fill(email)
    await page.get_by_label(t("console.login.password")).fill(PASSWORD)
    await page.get_by_role("button", name=t("console.login.submit")).click()
    await page.get_by_role("heading", name=t("console.queue.title")).wait_for(timeout=SEEN)
    await page.locator(".queue > li", has_text=f"#{referral} ").get_by_role("link").click()
    await page.get_by_role("heading", name=t("console.window.title")).wait_for(timeout=SEEN)
    assert "open" in (await page.locator("section.window").get_attribute("class") or "")

    await page.get_by_role("button", name=t("console.action.claim")).click()
    await page.get_by_text(t("console.done.claimed")).wait_for(timeout=SEEN)
    [claimed] = (await world.twilio.wait_messages(11, WA_USER, timeout=WAIT))[-1:]
    assert claimed.body == t("handoff.claimed")

    await page.get_by_label(t("console.action.reply_label")).fill("Kemi nje program per ju")
    await page.get_by_role("button", name=t("console.action.reply")).click()
    await page.get_by_text(t("console.done.answered")).wait_for(timeout=SEEN)
    [relayed] = (await world.twilio.wait_messages(12, WA_USER, timeout=WAIT))[-1:]
    assert relayed.body == t("handoff.staff_says", text="Kemi nje program per ju")

    assert (await world.twilio.send_inbound(body="Super, si aplikoj?")).status_code == 200
    await world.api.wait_for(lambda api: any(
        m["text"] == t("staff.from_user", id=referral, text="Super, si aplikoj?")
        for m in api.sent(STAFF_CHAT)), WAIT)
    await page.reload()
    talk = page.locator("ol.conversation > li")
    assert await talk.count() == 2
    assert "Kemi nje program per ju" in await talk.nth(0).inner_text()
    assert "Anna" in await talk.nth(0).inner_text()
    assert "Super, si aplikoj?" in await talk.nth(1).inner_text()
    assert await page.evaluate(UNLABELLED) == []

    await page.get_by_label(t("console.action.outcome_label")).select_option("business_support")
    await page.get_by_label(t("console.action.partner_label")).select_option(PARTNER)
    await page.get_by_role("button", name=t("console.action.close")).click()
    await page.get_by_text(t("console.done.closed")).wait_for(timeout=SEEN)
    [closed] = (await world.twilio.wait_messages(13, WA_USER, timeout=WAIT))[-1:]
    assert t("handoff.closed") in str(closed.body)
    told = t("staff.closed.partner", id=referral, staff="Anna", partner=PARTNER,
             outcome=t("staff.outcome.business_support"))
    await world.api.wait_for(lambda api: any(m["text"] == told for m in api.sent(STAFF_CHAT)),
                             WAIT)
    assert PARTNER in await page.locator("dl.facts").inner_text()
    await context.close()
