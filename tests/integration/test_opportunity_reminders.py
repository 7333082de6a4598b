"""Deadline reminders: asked for only by pressing the button offered after "I'm interested";
sent once, three days before the deadline, as an ``alert``; never to someone who said stop,
and gone with the person's data."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from bot.bootstrap import Container
from bot.handlers.opportunity_text import reminder_text
from bot.scheduler import jobs
from bot.storage.catalogue import OpportunityReminder
from bot.storage.models import OutboxMessage
from opportunities import reminders
from tests.support.catalogue_rows import TODAY
from tests.support.conversation import Conversation, ids, labels
from tests.support.opportunities import publish, row

DEADLINE = TODAY + timedelta(days=20)


def t(container: Container, key: str, **values: object) -> str:
    return container.translators["sq"](key, **values)


async def send_due(container: Container, now: datetime) -> int:
    """The scheduler's job, at ``now``."""
    t = container.translators
    return await reminders.send_due(
        container.unit_of_work, lambda locale, opportunity: reminder_text(t[locale], opportunity),
        now)


def on(day: timedelta) -> datetime:
    """Noon, ``day`` from the deadline."""
    return datetime.combine(DEADLINE + day, time(12), tzinfo=UTC)


async def _asks_for_a_reminder(container: Container, who: str) -> Conversation:
    chat = Conversation(container, who)
    await chat.say("menu")
    [listed] = await chat.say("kurs programimi")
    [interested] = await chat.press("opp:want:it-soon")
    assert labels(interested)[0] == t(container, "opportunities.remind.choice")
    [kept] = await chat.press(ids(interested)[0])
    day = container.translators["sq"].date(DEADLINE - timedelta(days=3))
    assert kept.text.startswith(t(container, "opportunities.remind.set", date=day))
    return chat


async def _alerts(container: Container) -> list[OutboxMessage]:
    async with container.sessions() as session:
        return list((await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "alert"))).all())


async def test_one_reminder_three_days_before_and_only_to_who_asked(container: Container) -> None:
    await publish(container, row("it-soon", sectors="ict", days=20))
    await _asks_for_a_reminder(container, "ana")
    other = Conversation(container, "ben")  # interested too, but asked for no reminder
    await other.say("menu")
    await other.say("kurs programimi")
    await other.press("opp:want:it-soon")
    assert await send_due(container, on(timedelta(days=-4))) == 0
    assert await send_due(container, on(timedelta(days=-3))) == 1
    assert await send_due(container, on(timedelta(days=-2))) == 0  # once
    [alert] = await _alerts(container)
    assert alert.address == "ana" and "Titulli it-soon" in alert.text
    assert container.translators["sq"].date(DEADLINE) in alert.text
    assert t(container, "opportunities.reminder.stop") in alert.text


async def test_no_reminder_after_stop_and_none_kept_after_erasure(container: Container) -> None:
    await publish(container, row("it-soon", sectors="ict", days=20))
    stopped = await _asks_for_a_reminder(container, "cen")
    await stopped.say("stop")
    erased = await _asks_for_a_reminder(container, "dua")
    await erased.say("fshi")
    await erased.press("confirm:yes")
    assert await send_due(container, on(timedelta(days=-3))) == 0
    assert await _alerts(container) == []
    async with container.sessions() as session:
        assert (await session.scalars(select(OpportunityReminder))).all() == []


async def test_a_deadline_too_close_offers_no_reminder(container: Container) -> None:
    await publish(container, row("it-close", sectors="ict", days=3))
    chat = Conversation(container, "eda")
    await chat.say("menu")
    await chat.say("kurs programimi")
    [interested] = await chat.press("opp:want:it-close")
    assert t(container, "opportunities.remind.choice") not in labels(interested)
    [refused] = await chat.press("opp:remind:it-close")  # an old button, say
    assert refused.text.startswith(t(container, "opportunities.remind.too_close"))


def test_the_scheduler_runs_reminders_when_it_has_the_languages(container: Container) -> None:
    names = [job.name for job in jobs(container.staff, container.unit_of_work, 30,
                                      container.translators)]
    assert "deadline reminders" in names
