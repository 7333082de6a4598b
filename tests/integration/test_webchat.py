"""The web chat's API as a browser uses it: a session opens with the welcome, messages and
choices are answered in the POST, a retried POST is answered once, later replies come by
polling, forged and expired sessions are refused, and the chat is off without its key."""

import base64
import hashlib
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import webchat
from bot.channels.web import create_app
from bot.config import Settings
from bot.retention import run_retention
from bot.staff.accounts import MemberId
from bot.staff.labels import label
from bot.storage import migrate
from bot.storage.models import CampaignEvent, OutboxMessage, Referral, User, utcnow
from tests.support.members import caseworkers
from tests.support.secrets import WEB_SECRET_KEY
from tests.support.staffed import with_staff_group
from tests.support.webchat import Browser, choice_ids, texts, with_webchat


@asynccontextmanager
async def serving_webchat(container: Container) -> AsyncIterator[Browser]:
    settings = with_webchat(container.settings)
    channels = bootstrap.build_channels(settings, container, [webchat])
    transport = httpx.ASGITransport(app=create_app(container, channels))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        yield Browser(client)


@pytest.fixture
async def browser(container: Container) -> AsyncIterator[Browser]:
    async with serving_webchat(container) as started:
        yield started


@pytest.fixture
async def staffed(settings: Settings) -> AsyncIterator[tuple[Browser, Container]]:
    """The web chat of a service with a staff group (referrals are offered only then)."""
    container = await bootstrap.build(with_staff_group(settings), migrate_sqlite=False)
    await migrate.upgrade(container.database)
    try:
        async with serving_webchat(container) as started:
            yield started, container
    finally:
        await container.close()


def t(container: Container, key: str) -> str:
    return container.translators["sq"](key)


async def count(container: Container, model: type) -> int:
    async with container.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_session_opens_with_the_welcome_and_the_menu_as_buttons(
    browser: Browser, container: Container,
) -> None:
    [welcome] = await browser.open()
    assert t(container, "welcome.text") in welcome["text"]
    assert "trainings" in " ".join(choice_ids(welcome))  # the menu's topics, as buttons
    assert webchat.sessions.SHAPE.match(browser.session)


async def test_the_campaign_counts_like_a_deep_link_and_the_locale_is_kept(
    browser: Browser, container: Container,
) -> None:
    async with container.unit_of_work() as uow:
        uow.campaigns.add("postera_kukes", "Postera")
        await uow.commit()
    [welcome] = await browser.open(campaign="postera_kukes", locale="en")
    assert container.translators["en"]("welcome.text") in welcome["text"]
    async with container.sessions() as session:
        event = await session.scalar(select(CampaignEvent))
        user = await session.scalar(select(User))
    assert event is not None and (event.kind, event.code, event.channel) == (
        "started", "postera_kukes", "web")
    assert user is not None and user.first_campaign_id is not None and user.locale == "en"


async def test_text_and_choices_are_answered_in_the_post_in_order(
    browser: Browser, container: Container,
) -> None:
    await browser.open()
    [jobs] = await browser.say("a ka pune ne Kukes?")
    assert container.content.page("sq", "jobs").text.strip()[:40] in jobs["text"]
    replies = await browser.press("menu")
    assert replies and replies[0]["id"] > jobs["id"]
    assert [r["id"] for r in browser.seen] == sorted(r["id"] for r in browser.seen)


async def test_a_retried_post_is_answered_once(browser: Browser, container: Container) -> None:
    await browser.open()
    first = await browser.say("menu", client_id="same-id")
    rows = await count(container, OutboxMessage)
    again = await browser.say("menu", client_id="same-id")
    assert first and again == []
    assert await count(container, OutboxMessage) == rows


async def test_markup_comes_back_as_the_text_it_was(browser: Browser) -> None:
    """The API returns JSON text; the widget puts it on the page as text (the browser test)."""
    await browser.open()
    await browser.say("<img src=x onerror=alert(1)>")
    response = await browser.poll()
    assert response == []  # every reply came in the POST's answer


async def test_a_reload_reads_the_whole_conversation_again(browser: Browser) -> None:
    await browser.open()
    await browser.say("menu")
    again = Browser(browser.client, session=browser.session)
    assert texts(await again.poll()) == texts(browser.seen)


async def test_a_referral_offers_this_chat_staff_see_web_and_their_answer_arrives(
    staffed: tuple[Browser, Container],
) -> None:
    """The contact question offers "here in this chat" or a phone number; staff see the
    channel as web; a caseworker's answer reaches the page by polling."""
    browser, container = staffed
    await browser.open()
    await browser.say("a ka kurse falas ne Kukes?")
    for press in ("handoff:trainings", "ho:consent:yes", "ho:municipality:has", "ho:age:18_24",
                  "ho:gender:unsaid"):
        [asked] = (await browser.press(press))[-1:]
    assert choice_ids(asked) == ["ho:contact:chat", "ho:contact:phone"]
    await browser.press("ho:contact:chat")
    await browser.say("Dua nje kurs per kuzhinier")
    [sent] = (await browser.press("ho:confirm:send"))[-1:]
    assert t(container, "handoff.sent") in sent["text"]
    async with container.sessions() as session:
        referral = await session.scalar(select(Referral))
    assert referral is not None and (referral.channel, referral.contact) == ("web", "chat")
    assert label(container.translators["sq"], "channel", "web") == "Chat në faqe"

    ana = MemberId((await caseworkers(container, "Ana"))["Ana"])
    await container.staff.actions.claim(ana, referral.id)
    await container.staff.actions.answer(ana, referral.id, "Tung! Të shkruaj këtu nesër.")
    later = texts(await browser.poll())
    assert t(container, "handoff.claimed") in later[0]
    assert later[-1] == container.translators["sq"]("handoff.staff_says",
                                                    text="Tung! Të shkruaj këtu nesër.")
    assert await browser.poll() == []


@pytest.mark.parametrize("session", [
    "nonsense", "A" * 24 + ".1700000000." + "B" * 22, "../../etc/passwd", "%00"])
async def test_a_forged_session_is_refused(browser: Browser, session: str) -> None:
    browser.session = session
    assert (await browser.post({"id": "x1", "text": "menu"})).status_code in (403, 404)
    response = await browser.client.get(f"/webchat/sessions/{session}/messages")
    assert response.status_code in (403, 404)


def _signed_long_ago(days: int) -> str:
    """A session id as the service would have signed it ``days`` ago."""
    random_part = "r" * 24
    issued = str(int((utcnow() - timedelta(days=days)).timestamp()))
    mac = hmac.new(WEB_SECRET_KEY.encode(), f"webchat-session:{random_part}.{issued}".encode(),
                   hashlib.sha256)
    signature = base64.urlsafe_b64encode(mac.digest()[:16]).decode().rstrip("=")
    return f"{random_part}.{issued}.{signature}"


async def test_an_expired_session_is_refused_and_a_recent_one_is_not(
    browser: Browser, container: Container,
) -> None:
    browser.session = _signed_long_ago(container.settings.retention_days + 1)
    refused = await browser.post({"id": "x1", "text": "menu"})
    assert refused.status_code == 403 and refused.json() == {"error": "session"}
    browser.session = _signed_long_ago(3)
    assert (await browser.post({"id": "x2", "text": "menu"})).status_code == 200
    assert await count(container, User) == 1


async def test_the_web_chat_is_off_without_its_key(container: Container) -> None:
    assert webchat.build(container.settings,
                         bootstrap.channel_services(container, "web")) is None
    assert webchat.describe(container.settings) == "off: WEB_SECRET_KEY is not set"
    transport = httpx.ASGITransport(app=create_app(container, []))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        assert (await client.post("/webchat/sessions")).status_code == 404
        assert (await client.get("/webchat/widget.js")).status_code == 404


async def test_retention_ends_sessions_idle_for_retention_days(
    browser: Browser, container: Container,
) -> None:
    idle, active = Browser(browser.client), Browser(browser.client)
    for one in (idle, active):
        await one.open()
        await one.say("menu")
    async with container.sessions() as session:
        users = (await session.scalars(select(User).order_by(User.id))).all()
        users[0].last_seen_at = utcnow() - timedelta(days=container.settings.retention_days + 1)
        await session.commit()

    counts = await run_retention(container.unit_of_work, utcnow(),
                                 container.settings.retention_days)

    assert counts.sessions == 1
    async with container.sessions() as session:
        addresses = [user.address for user in (await session.scalars(
            select(User).order_by(User.id))).all()]
    assert addresses[0].startswith("ended:") and not addresses[1].startswith("ended:")
    idle.last = 0
    assert await idle.poll() == []  # nothing of the conversation is left to read
    active.last, kept = 0, texts(active.seen)
    assert texts(await active.poll()) == kept
    assert (await run_retention(container.unit_of_work, utcnow(),
                                container.settings.retention_days)).sessions == 0


async def test_delete_this_conversation_is_the_erasure_of_fshi(
    browser: Browser, container: Container,
) -> None:
    """The widget's button sends ``/fshi``: the same question, the same erasure; the answer
    says the conversation ended, and nothing of it is left to read."""
    await browser.open()
    await browser.say("a ka pune ne Kukes?")
    [asked] = await browser.say("/fshi")
    yes = next(choice["id"] for choice in asked["choices"]
               if choice["label"] == t(container, "delete.yes"))
    response = await browser.post({"id": browser.new_id(), "choice": yes})
    assert response.json()["ended"] is True
    assert [r["text"] for r in response.json()["replies"]] == [t(container, "delete.done")]
    assert await count(container, User) == 0
    browser.last = 0
    assert await browser.poll() == []
