"""The web chat against abuse: rate limits (a polite reply and 429), body limits, CORS only for
WEBCHAT_ALLOWED_ORIGINS (and a 403 before any turn for a page of another origin), no cookies,
a Content-Security-Policy on the page, and hostile bodies and session ids that never give a
500 and, when refused, store nothing."""

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import webchat
from bot.channels.web import create_app
from bot.channels.webchat.limits import Limits, Rate
from bot.storage.models import MessageLogEntry, OutboxMessage, ProcessedDelivery, User
from tests.support.hostile_requests import BODIES, CONTENT_TYPES, HEADER_VALUES, JSON_VALUES
from tests.support.webchat import Browser, with_webchat

CAMPAIGN_SITE = "https://campaign.example.org"
ELSEWHERE = "https://evil.example.net"
EXAMPLES = settings(
    max_examples=100, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STORED = (User, MessageLogEntry, ProcessedDelivery, OutboxMessage)
GENEROUS = Rate(burst=10_000, per_second=1_000)


async def _client(container: Container, limits: Limits) -> httpx.AsyncClient:
    configured = with_webchat(container.settings, CAMPAIGN_SITE)
    channel = webchat.build(configured, bootstrap.channel_services(container, "web"), limits)
    assert channel is not None
    transport = httpx.ASGITransport(app=create_app(container, [channel]))
    return httpx.AsyncClient(transport=transport, base_url="http://bot.test")


@pytest.fixture
async def client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(container, Limits(
            session_messages=Rate(burst=3, per_second=0.01), ip_sessions=Rate(4, 0.01))) as c:
        yield c


@pytest.fixture
async def open_client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    """Limits out of the way, for the property tests."""
    async with await _client(container, Limits(GENEROUS, GENEROUS, GENEROUS, GENEROUS,
                                               GENEROUS)) as c:
        yield c


async def stored(container: Container) -> dict[str, int]:
    async with container.sessions() as session:
        return {model.__name__: int(await session.scalar(
            select(func.count()).select_from(model)) or 0) for model in STORED}


async def test_too_many_messages_get_a_polite_reply_and_429(
    client: httpx.AsyncClient, container: Container,
) -> None:
    browser = Browser(client)
    await browser.open()
    for _ in range(3):
        await browser.say("menu")
    slowed = await browser.post({"id": "one-more", "text": "menu"})
    assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) >= 1
    assert slowed.json()["replies"][0]["text"] == container.translators["sq"](
        "webchat.slow_down")


async def test_too_many_new_sessions_from_one_address_get_429(client: httpx.AsyncClient) -> None:
    answers = [(await client.post("/webchat/sessions")).status_code for _ in range(6)]
    assert answers == [200] * 4 + [429] * 2


async def test_a_body_over_the_limit_is_413_and_bad_json_400(
    open_client: httpx.AsyncClient, container: Container,
) -> None:
    client = open_client
    browser = Browser(client)
    await browser.open()
    before = await stored(container)
    huge = await browser.post({"id": "big", "text": "a" * 20_000})
    assert huge.status_code == 413
    for body in (b"{", b"[1, 2]", b'{"id": "x"}', b'{"id": "../", "text": "hi"}',
                 b'{"id": "x", "text": 5}'):
        response = await client.post(f"/webchat/sessions/{browser.session}/messages",
                                     content=body)
        assert response.status_code == 400, body
    assert await stored(container) == before


async def test_cors_lets_only_the_listed_origin_read_the_answers(
    client: httpx.AsyncClient, container: Container,
) -> None:
    preflight = {"access-control-request-method": "POST",
                 "access-control-request-headers": "content-type"}
    allowed = await client.options("/webchat/sessions",
                                   headers={"origin": CAMPAIGN_SITE, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == CAMPAIGN_SITE
    refused = await client.options("/webchat/sessions",
                                   headers={"origin": ELSEWHERE, **preflight})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers

    opened = await client.post("/webchat/sessions", headers={"origin": CAMPAIGN_SITE})
    assert opened.headers["access-control-allow-origin"] == CAMPAIGN_SITE
    assert "set-cookie" not in opened.headers
    before = await stored(container)
    simple = await client.post("/webchat/sessions", content=b"{}",
                               headers={"origin": ELSEWHERE, "content-type": "text/plain"})
    assert simple.status_code == 403 and "access-control-allow-origin" not in simple.headers
    assert await stored(container) == before
    same = await client.post("/webchat/sessions", headers={"origin": "http://bot.test"})
    assert same.status_code == 200


async def test_the_page_has_a_strict_policy_and_the_campaign_only_as_text(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/webchat/", params={"c": '"><script>alert(1)</script>'})
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "<script>alert" not in page.text and 'data-campaign=""' in page.text
    kept = await client.get("/webchat/", params={"c": "postera_kukes", "lang": "en"})
    assert 'data-campaign="postera_kukes"' in kept.text and 'lang="en"' in kept.text


async def test_the_script_carries_its_labels_from_the_catalogs(
    client: httpx.AsyncClient, container: Container,
) -> None:
    script = await client.get("/webchat/widget.js")
    assert script.headers["content-type"].startswith("text/javascript")
    for locale in ("sq", "en"):
        assert container.translators[locale]("webchat.delete").encode(
            "ascii", "backslashreplace").decode().replace("\\x", "\\u00") in script.text
    assert "innerHTML" not in script.text  # text only, never markup
    assert (await client.get("/webchat/widget.css")).status_code == 200


@EXAMPLES
@given(body=BODIES, content_type=CONTENT_TYPES)
async def test_any_body_to_open_a_session_is_answered_without_an_error(
    open_client: httpx.AsyncClient, body: bytes, content_type: str,
) -> None:
    response = await open_client.post("/webchat/sessions", content=body,
                                      headers={"content-type": content_type})
    assert response.status_code in (200, 400, 413)


@EXAMPLES
@given(body=BODIES | JSON_VALUES.map(lambda v: httpx.Request("POST", "/", json=v).content),
       message=st.fixed_dictionaries({"id": HEADER_VALUES}, optional={
           "text": JSON_VALUES, "choice": JSON_VALUES}))
async def test_any_message_body_is_answered_without_an_error(
    open_client: httpx.AsyncClient, container: Container, body: bytes, message: dict[str, Any],
) -> None:
    browser = Browser(open_client)
    if not browser.session:
        await browser.open()
    for sent in (body, httpx.Request("POST", "/", json=message).content):
        before = await stored(container)
        response = await open_client.post(
            f"/webchat/sessions/{browser.session}/messages", content=sent)
        assert response.status_code in (200, 400, 413)
        if response.status_code != 200:
            assert await stored(container) == before


@EXAMPLES
@given(session=st.text(max_size=120), after=st.text(max_size=30))
async def test_any_session_id_and_after_are_answered_without_an_error(
    open_client: httpx.AsyncClient, container: Container, session: str, after: str,
) -> None:
    before = await stored(container)
    path = f"/webchat/sessions/{quote(session, safe='')}/messages"
    polled = await open_client.get(path, params={"after": after})
    posted = await open_client.post(path, json={"id": "x", "text": "menu"})
    assert polled.status_code in (403, 404) and posted.status_code in (403, 404)
    assert await stored(container) == before
