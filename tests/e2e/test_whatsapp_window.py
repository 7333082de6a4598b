"""WhatsApp's 24-hour window end to end: staff answers and alerts outside it, the waiting and
alert templates, Twilio's 63016, against the fake Twilio on 127.0.0.1."""

from datetime import timedelta

from sqlalchemy import update

from bot.bootstrap import Container
from bot.delivery.policy import HELD_NO_TEMPLATE, HELD_TEMPLATE_SENT
from bot.storage.models import (
    OutboxMessage,
    User,
    utcnow,
)
from tests.fakes.twilio_api import USER, FakeTwilio
from tests.support.whatsapp import ALERT, TEMPLATE, WhatsApp, rows


async def _age_the_window(container: Container, twilio: FakeTwilio) -> None:
    """The user last wrote 25 hours ago, for the bot and for WhatsApp alike."""
    long_ago = utcnow() - timedelta(hours=25)
    async with container.sessions() as session:
        await session.execute(update(User).values(last_seen_at=long_ago))
        await session.commit()
    twilio.set_last_inbound(USER, long_ago)


async def test_outside_the_window_the_answer_waits_behind_a_template_then_comes_in_order(
    whatsapp: WhatsApp, container: Container
) -> None:
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)

    await whatsapp.staff_answer("Përgjigja e parë nga Drita.")
    await whatsapp.staff_answer("Edhe diçka tjetër.")
    [nudge] = whatsapp.twilio.messages_to(USER)[1:]
    assert (nudge.content_sid, nudge.body) == (TEMPLATE, None)  # one template, no free text
    held = [row for row in await rows(container, OutboxMessage) if row.sent_at is None]
    assert [row.held_reason for row in held] == [HELD_TEMPLATE_SENT] * 2

    response = await whatsapp.twilio.send_inbound(button_payload="waiting", button_text="Shiko")
    assert response.status_code == 200
    await whatsapp.twilio.wait_messages(4, USER)
    await whatsapp.container.deliveries.drained()
    assert whatsapp.bodies()[2:] == ["Përgjigja e parë nga Drita.", "Edhe diçka tjetër."]


async def test_a_63016_failure_holds_the_reply_nudges_once_and_sends_it_when_they_write(
    whatsapp: WhatsApp, container: Container
) -> None:
    await whatsapp.say("menu", 1)
    await whatsapp.twilio.settle()
    whatsapp.twilio.set_last_inbound(USER, utcnow() - timedelta(hours=25))  # WhatsApp disagrees

    await whatsapp.staff_answer("A mund të vish të hënën?")
    await whatsapp.twilio.settle()
    [row] = [row for row in await rows(container, OutboxMessage) if row.sent_at is None]
    assert (row.status, row.error_code, row.held_reason) == ("failed", "63016",
                                                             HELD_TEMPLATE_SENT)
    assert [m.content_sid for m in whatsapp.twilio.messages_to(USER)[2:]] == [TEMPLATE]

    bodies = await whatsapp.say("po", 5)
    assert bodies[3] == "A mund të vish të hënën?"  # the waiting answer first, then the reply
    assert bodies[4]


async def test_without_a_template_the_answer_waits_with_a_reason_for_staff(
    whatsapp_without_template: WhatsApp, container: Container
) -> None:
    whatsapp = whatsapp_without_template
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)
    await whatsapp.staff_answer("Përgjigja nga stafi.")
    assert len(whatsapp.twilio.messages_to(USER)) == 1
    async with container.unit_of_work() as uow:
        [problem] = await uow.outbox.problems("whatsapp")
        assert (problem.text, problem.held_reason) == ("Përgjigja nga stafi.", HELD_NO_TEMPLATE)

    bodies = await whatsapp.say("menu", 3)
    assert bodies[1] == "Përgjigja nga stafi."


async def test_outside_the_window_an_alert_goes_out_in_the_alert_template_not_held(
    whatsapp_with_alerts: WhatsApp, container: Container
) -> None:
    whatsapp = whatsapp_with_alerts
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)

    await whatsapp.staff_answer("Trajnim i ri për IT në Kukës.\n\nApliko deri më 1 mars.",
                                kind="alert")
    [alert] = whatsapp.twilio.messages_to(USER)[1:]
    assert (alert.content_sid, alert.body) == (ALERT, None)
    assert alert.content_variables == {"1": "Trajnim i ri për IT në Kukës. Apliko deri më 1 mars."}
    await whatsapp.twilio.settle()
    row = (await rows(container, OutboxMessage))[-1]
    assert (row.kind, row.held_reason, row.provider_id) == ("alert", None, alert.sid)
    assert row.status == "delivered"  # a template is delivered outside the window

    await whatsapp.staff_answer("Përgjigja nga stafi.")  # the alert held nothing: this waits
    [nudge] = whatsapp.twilio.messages_to(USER)[2:]
    assert (nudge.content_sid, nudge.body) == (TEMPLATE, None)


async def test_without_an_alert_template_an_alert_waits_like_a_staff_answer(
    whatsapp: WhatsApp, container: Container
) -> None:
    await whatsapp.say("menu", 1)
    await _age_the_window(container, whatsapp.twilio)
    await whatsapp.staff_answer("Trajnim i ri për IT në Kukës.", kind="alert")
    [nudge] = whatsapp.twilio.messages_to(USER)[1:]
    assert (nudge.content_sid, nudge.body) == (TEMPLATE, None)
    [held] = [row for row in await rows(container, OutboxMessage) if row.sent_at is None]
    assert (held.kind, held.held_reason) == ("alert", HELD_TEMPLATE_SENT)

    bodies = await whatsapp.say("po", 4)
    assert bodies[2] == "Trajnim i ri për IT në Kukës."  # first, then the reply to "po"
