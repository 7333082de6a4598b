"""The console's management pages for tests: a browser-like client signed in as a new member of
a role, the form token of a page, and what a page says in Albanian (the default)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.bootstrap import Container
from bot.channels.web import create_app
from tests.support.console import console_routes, csrf_of, member, sign_in


def client_for(container: Container) -> httpx.AsyncClient:
    app = create_app(container, pages=console_routes(container))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://testserver")


@asynccontextmanager
async def signed_in(container: Container, name: str, role: str,
                    partner: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as a new member ``name`` of ``role``."""
    email = await member(container, name, role, partner=partner)
    async with client_for(container) as client:
        assert (await sign_in(client, email)).status_code == 303
        yield client


async def token(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return csrf_of(page.text)


def say(container: Container, key: str, **values: object) -> str:
    """What the console shows in Albanian, as the page escapes it."""
    return container.translators["sq"](key, **values).replace("'", "&#39;")
