"""Opt-in alerts on WhatsApp, end to end against the fake Twilio: young people subscribe in
their own words, staff publish a job, the alerts job runs, and only the right people get one
alert (as the approved template outside the 24-hour window; skipped and counted without one)."""

from datetime import timedelta

from sqlalchemy import update

from bot.bootstrap import Container
from bot.storage.models import User, utcnow
from referrals.queue import ReferralQueue
from tests.fakes.twilio_api import FakeTwilio
from tests.support.alerts import broadcast, deliver, publish
from tests.support.whatsapp import ALERT, WhatsApp

HOTEL_FAN = "whatsapp:+355690000001"
LATE_HOTEL_FAN = "whatsapp:+355690000002"
COURSE_FAN = "whatsapp:+355690000003"
STOPPED = "whatsapp:+355690000004"
IN_DANGER = "whatsapp:+355690000005"
HOTEL_JOB = {"kind": "job", "sectors": "hospitality", "municipalities": "tropoje",
             "title_sq": "Kamarier/e për sezonin në Valbonë", "deadline": ""}


async def _say(twilio: FakeTwilio, who: str, text: str) -> str:
    """``who`` writes ``text``; the bot's answer (the last message to them)."""
    before = len(twilio.messages_to(who))
    assert (await twilio.send_inbound(from_=who, body=text)).status_code == 200
    return str((await twilio.wait_messages(before + 1, who))[-1].body)


async def _age_window(container: Container, twilio: FakeTwilio, who: str) -> None:
    long_ago = utcnow() - timedelta(hours=25)
    async with container.sessions() as session:
        await session.execute(update(User).where(User.address == who)
                              .values(last_seen_at=long_ago))
        await session.commit()
    twilio.set_last_inbound(who, long_ago)


async def _subscribe_everyone(whatsapp: WhatsApp) -> None:
    twilio = whatsapp.twilio
    for who in (HOTEL_FAN, LATE_HOTEL_FAN, STOPPED, IN_DANGER):
        await _say(twilio, who, "tung")
        said = await _say(twilio, who, "me njofto kur del pune ne hoteleri ne tropoje")
        assert "Punë · Hoteleri · Tropojë" in said
    await _say(twilio, COURSE_FAN, "tung")
    assert "Kurse · Has" in await _say(twilio, COURSE_FAN, "më njofto për kurse të reja në Has")
    assert "STOP" not in await _say(twilio, STOPPED, "stop")
    async with whatsapp.container.unit_of_work() as uow:
        user = await uow.users.get("whatsapp", IN_DANGER)
        assert user is not None
        await ReferralQueue(uow.referrals).create(user_id=user.id, channel="whatsapp",
                                                  topic="urgent", priority="urgent")
        await uow.commit()


async def test_a_published_hotel_job_in_tropoje_reaches_only_its_subscribers_once(
    whatsapp_with_alerts: WhatsApp, container: Container
) -> None:
    whatsapp, twilio = whatsapp_with_alerts, whatsapp_with_alerts.twilio
    await _subscribe_everyone(whatsapp)
    await _age_window(container, twilio, LATE_HOTEL_FAN)
    seen = {who: len(twilio.messages_to(who)) for who in
            (HOTEL_FAN, LATE_HOTEL_FAN, COURSE_FAN, STOPPED, IN_DANGER)}

    job = await publish(container, 1, **HOTEL_JOB)
    assert await broadcast(container, whatsapp.channel_settings) == 2
    assert await broadcast(container, whatsapp.channel_settings) == 0  # a second round: nothing
    await deliver(container, "whatsapp", list(seen))
    await twilio.settle()

    new = {who: twilio.messages_to(who)[count:] for who, count in seen.items()}
    [alert] = new[HOTEL_FAN]
    assert "Kamarier/e për sezonin në Valbonë" in str(alert.body)
    assert "STOP" in str(alert.body)  # every alert says how to stop
    [template] = new[LATE_HOTEL_FAN]
    assert (template.content_sid, template.body) == (ALERT, None)
    assert "Kamarier/e për sezonin në Valbonë" in template.content_variables["1"]
    assert new[COURSE_FAN] == new[STOPPED] == new[IN_DANGER] == []
    async with container.unit_of_work() as uow:
        assert (await uow.alerts.counts())[job] == {"queued": 2, "skipped:urgent": 1}


async def test_without_an_alert_template_someone_outside_the_window_is_skipped_and_counted(
    whatsapp: WhatsApp, container: Container
) -> None:
    twilio = whatsapp.twilio
    for who in (HOTEL_FAN, LATE_HOTEL_FAN):
        await _say(twilio, who, "tung")
        await _say(twilio, who, "më njofto për punë në hoteleri në Tropojë")
    await _age_window(container, twilio, LATE_HOTEL_FAN)
    before = len(twilio.messages_to(LATE_HOTEL_FAN))

    job = await publish(container, 1, **HOTEL_JOB)
    assert await broadcast(container, whatsapp.channel_settings) == 1
    await deliver(container, "whatsapp", [HOTEL_FAN, LATE_HOTEL_FAN])
    await twilio.settle()
    assert len(twilio.messages_to(LATE_HOTEL_FAN)) == before  # no nudge, no alert
    async with container.unit_of_work() as uow:
        assert (await uow.alerts.counts())[job] == {"queued": 1, "skipped:no_template": 1}


async def test_one_alert_a_day_the_next_job_comes_grouped_the_day_after(
    whatsapp_with_alerts: WhatsApp, container: Container
) -> None:
    twilio = whatsapp_with_alerts.twilio
    await _say(twilio, HOTEL_FAN, "tung")
    await _say(twilio, HOTEL_FAN, "me njof per pune ne tropoj")
    settings = whatsapp_with_alerts.channel_settings
    await publish(container, 1, **HOTEL_JOB)
    assert await broadcast(container, settings) == 1
    await publish(container, 2, **HOTEL_JOB | {"title_sq": "Recepsionist/e në Bajram Curri"})
    await publish(container, 3, **HOTEL_JOB | {"title_sq": "Kuzhinier/e në Valbonë"})
    assert await broadcast(container, settings) == 0  # they had today's alert

    assert await broadcast(container, settings, at=utcnow() + timedelta(days=1, minutes=1)) == 1
    await deliver(container, "whatsapp", [HOTEL_FAN])
    await twilio.settle()
    first, grouped = [str(m.body or m.content_variables.get("1"))
                      for m in twilio.messages_to(HOTEL_FAN)[-2:]]
    assert "Kamarier/e" in first and "Recepsionist/e" not in first
    assert "Recepsionist/e në Bajram Curri" in grouped and "Kuzhinier/e në Valbonë" in grouped
