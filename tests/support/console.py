"""The staff console for tests: its routes on the service's app, members to sign in as, a young
person with an open referral, and a browser-like client that signs in through the form."""

import re
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import update

from bot import web
from bot.bootstrap import Container
from bot.config import Settings
from bot.storage.models import Referral
from referrals.queue import ReferralQueue
from tests.support.members import caseworkers
from tests.support.secrets import WEB_SECRET_KEY

PASSWORD = "correct horse"
"""Every test member's password (``tests.support.members``)."""
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def with_console(settings: Settings) -> Settings:
    return settings.model_copy(update={"web_secret_key": SecretStr(WEB_SECRET_KEY)})


def console_routes(container: Container, settings: Settings | None = None,
                   **options: Any) -> list[Any]:
    """The console's routes as ``youthbot run`` mounts them (none without the key)."""
    settings = settings if settings is not None else with_console(container.settings)
    console = web.build(settings, container.staff.actions, container.unit_of_work,
                        container.translators, **options)
    return web.routes(console)


async def member(container: Container, name: str, role: str = "caseworker",
                 partner: str | None = None) -> str:
    """A new member; their e-mail."""
    await caseworkers(container, name, role=role, partner=partner)
    return f"{name.lower()}@example.org"


async def young_person_with_referral(
    container: Container, address: str = "5550001", *, channel: str = "telegram",
    priority: str = "normal", topic: str = "jobs", partner: str | None = None,
    contact: str | None = "+355691234567", summary: str | None = "Dua pune si kuzhinier",
) -> int:
    """A young person on ``channel`` and their open referral; its id."""
    async with container.unit_of_work() as uow:
        user, _ = await uow.users.get_or_create_locked(channel, address, "sq")
        referral = await ReferralQueue(uow.referrals).create(
            user_id=user.id, channel=channel, topic=topic, priority=priority,
            municipality="kukes", age_band="18_24", gender="female", contact=contact,
            summary=summary)
        container.staff.new_referral(uow, referral)
        await uow.commit()
        referral_id = referral.id
    if partner is not None:
        async with container.sessions() as session:
            await session.execute(update(Referral).where(Referral.id == referral_id)
                                  .values(partner=partner))
            await session.commit()
    return referral_id


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD
                  ) -> httpx.Response:
    """The sign-in form filled in and sent, as a browser does (the answer not followed)."""
    page = await client.get("/staff/login")
    return await client.post("/staff/login", data={
        "email": email, "password": password, "csrf": csrf_of(page.text)})


async def form_token(client: httpx.AsyncClient, path: str = "/staff/") -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.status_code
    return csrf_of(page.text)
