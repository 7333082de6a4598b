"""Opportunities published and broadcast for the alert tests: the catalogue service's calls,
as the console makes them, and one round of the scheduler's alerts job."""

from datetime import datetime

from bot.bootstrap import Container, build_broadcaster
from bot.config import Settings
from opportunities import catalogue, importing
from opportunities.catalogue import Outcome
from tests.support.catalogue_rows import TODAY, opportunity


async def publish(container: Container, number: int, **cells: str) -> str:
    """Create the ``number``th test opportunity unpublished, with ``cells``, then publish it."""
    kind = importing.opportunities()
    async with container.unit_of_work() as uow:
        form = opportunity(number, **cells)
        created = await catalogue.create(uow, kind, form, TODAY)
        assert created.outcome == Outcome.CREATED, created.problems
        entry = await uow.catalogue.get(kind.model, form["id"])
        assert entry is not None
        entry.published = False
        await uow.commit()
    async with container.unit_of_work() as uow:
        assert (await catalogue.publish(uow, kind, form["id"])).outcome == Outcome.PUBLISHED
        await uow.commit()
    return form["id"]


async def broadcast(container: Container, settings: Settings | None = None,
                    at: datetime | None = None) -> int:
    """One round of the alerts job (at ``at``, by default now), as the composition root builds
    it from ``settings``; how many alerts it queued."""
    broadcaster = build_broadcaster(container, settings)
    if at is not None:
        broadcaster.clock = lambda: at
    return await broadcaster.run()


async def deliver(container: Container, channel: str, addresses: list[str]) -> None:
    """The sender delivers what waits for these chats (the sweep would, within seconds)."""
    for address in addresses:
        container.deliveries.notify(channel, address)
    await container.deliveries.drained()
