"""The delivery policy by kind, inside and outside a channel's window, through the real outbox on
a real database: a reply goes out, a staff answer waits behind the waiting template, an alert
goes out as the alert template (or waits like a staff answer when there is none)."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.bootstrap import Container
from bot.delivery import Deliveries, Kind, Window
from bot.delivery.policy import HELD_NO_TEMPLATE, HELD_TEMPLATE_SENT
from bot.messages import Inbound, Outbound
from bot.storage.models import OutboxMessage, User, utcnow

CHANNEL = "whatsapp"
ADDRESS = "whatsapp:+355691234567"
WAITING = "HX" + "1" * 32
ALERT = "HX" + "2" * 32
LENGTH = timedelta(hours=24)


@dataclass
class Platform:
    """A platform with a window, as far as delivery sees it: it records what it was given."""

    templates: dict[str, str]
    alerts: dict[str, str]
    name: str = CHANNEL
    delivery: str = "push"
    texts: list[str] = field(default_factory=list)
    sent_templates: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def window(self) -> Window:
        return Window(LENGTH, self.send_template, self.templates, self.alerts)

    async def send(self, address: str, reply: Outbound) -> str:
        self.texts.append(reply.text)
        return f"text-{len(self.texts)}"

    async def send_template(
        self, address: str, template: str, reply: Outbound | None = None
    ) -> str:
        self.sent_templates.append((template, reply.text if reply else None))
        return f"template-{len(self.sent_templates)}"


@dataclass
class World:
    container: Container
    platform: Platform
    deliveries: Deliveries
    held_notices: list[tuple[str, str, bool]]

    async def put(self, text: str, kind: Kind) -> None:
        async with self.container.unit_of_work() as uow:
            user = await uow.users.get(CHANNEL, ADDRESS)
            uow.outbox.put(CHANNEL, ADDRESS, user, Outbound(text), kind=kind)
            await uow.commit()

    async def deliver(self) -> None:
        worker = self.deliveries.worker(CHANNEL)  # the sender, without its periodic sweep
        assert worker is not None
        worker.notify(ADDRESS)
        await self.deliveries.drained()

    async def rows(self) -> list[OutboxMessage]:
        async with self.container.sessions() as session:
            query = select(OutboxMessage).where(OutboxMessage.channel == CHANNEL)
            return list((await session.scalars(query.order_by(OutboxMessage.id))).all())


async def _world(container: Container, *, templates: bool = True, alerts: bool = True,
                 outside: bool) -> World:
    """A user who wrote (menu) and got the reply; ``outside``: 25 hours ago."""
    platform = Platform({"sq": WAITING} if templates else {}, {"sq": ALERT} if alerts else {})
    notices: list[tuple[str, str, bool]] = []

    async def on_hold(channel: str, address: str, *, nudged: bool) -> None:
        notices.append((channel, address, nudged))

    deliveries = Deliveries(container.unit_of_work, "sq", on_hold)
    deliveries.add(platform)  # type: ignore[arg-type]
    world = World(container, platform, deliveries, notices)
    await container.engine.handle(Inbound(CHANNEL, ADDRESS, text="menu"))
    await world.deliver()
    assert len(platform.texts) == 1
    if outside:
        async with container.sessions() as session:
            await session.execute(update(User).values(last_seen_at=utcnow() - timedelta(hours=25)))
            await session.commit()
    return world


@pytest.mark.parametrize("kind", ["reply", "staff", "alert"])
async def test_inside_the_window_every_kind_goes_out_as_text(
    container: Container, kind: Kind
) -> None:
    world = await _world(container, outside=False)
    await world.put("Lajm i ri", kind)
    await world.deliver()
    assert world.platform.texts[1:] == ["Lajm i ri"] and world.platform.sent_templates == []
    assert all(row.sent_at is not None and row.kind in (kind, "reply")
               for row in await world.rows())


async def test_outside_the_window_a_reply_goes_out(container: Container) -> None:
    world = await _world(container, outside=True)
    await world.put("Përgjigja e botit", "reply")
    await world.deliver()
    assert world.platform.texts[1:] == ["Përgjigja e botit"]
    assert world.platform.sent_templates == [] and world.held_notices == []


async def test_outside_the_window_staff_answers_wait_behind_one_template(
    container: Container,
) -> None:
    world = await _world(container, outside=True)
    await world.put("Përgjigja nga Drita", "staff")
    await world.deliver()
    await world.put("Edhe diçka", "staff")
    await world.deliver()
    assert world.platform.texts[1:] == []
    assert world.platform.sent_templates == [(WAITING, None)]  # nudged once
    held = [row for row in await world.rows() if row.sent_at is None]
    assert [(row.kind, row.held_reason) for row in held] == [("staff", HELD_TEMPLATE_SENT)] * 2
    assert world.held_notices == [(CHANNEL, ADDRESS, True)]

    await world.container.engine.handle(Inbound(CHANNEL, ADDRESS, text="menu"))  # they write
    await world.deliver()
    assert world.platform.texts[1:3] == ["Përgjigja nga Drita", "Edhe diçka"]
    assert all(row.sent_at is not None for row in await world.rows())


async def test_outside_the_window_without_a_template_staff_answers_wait_with_the_reason(
    container: Container,
) -> None:
    world = await _world(container, templates=False, outside=True)
    await world.put("Përgjigja nga stafi", "staff")
    await world.deliver()
    [held] = [row for row in await world.rows() if row.sent_at is None]
    assert held.held_reason == HELD_NO_TEMPLATE and world.platform.sent_templates == []
    assert world.held_notices == [(CHANNEL, ADDRESS, False)]


async def test_outside_the_window_an_alert_goes_out_as_the_alert_template(
    container: Container,
) -> None:
    world = await _world(container, outside=True)
    await world.put("Një trajnim i ri në Kukës", "alert")
    await world.deliver()
    assert world.platform.sent_templates == [(ALERT, "Një trajnim i ri në Kukës")]
    assert world.platform.texts[1:] == [] and world.held_notices == []
    alert = (await world.rows())[-1]
    assert (alert.kind, alert.held_reason, alert.provider_id) == ("alert", None, "template-1")
    assert alert.sent_at is not None

    await world.put("Përgjigja nga stafi", "staff")  # the chat was not held by the alert
    await world.deliver()
    assert world.platform.sent_templates[1:] == [(WAITING, None)]


async def test_outside_the_window_without_an_alert_template_an_alert_waits_like_staff(
    container: Container,
) -> None:
    world = await _world(container, alerts=False, outside=True)
    await world.put("Një trajnim i ri", "alert")
    await world.deliver()
    assert world.platform.sent_templates == [(WAITING, None)]
    [held] = [row for row in await world.rows() if row.sent_at is None]
    assert (held.kind, held.held_reason) == ("alert", HELD_TEMPLATE_SENT)


async def test_an_alert_behind_held_staff_answers_waits_with_them(container: Container) -> None:
    world = await _world(container, outside=True)
    await world.put("Përgjigja nga stafi", "staff")
    await world.deliver()
    await world.put("Një trajnim i ri", "alert")
    await world.deliver()
    assert world.platform.sent_templates == [(WAITING, None)]  # order kept: nothing jumps ahead
    held = [row for row in await world.rows() if row.sent_at is None]
    assert [(row.kind, row.held_reason) for row in held] == [("staff", HELD_TEMPLATE_SENT),
                                                             ("alert", HELD_TEMPLATE_SENT)]
