"""The bot's WhatsApp channel against the fake Twilio on 127.0.0.1, behind a public URL it does
not listen on (as behind a proxy): the harness of the WhatsApp end-to-end tests."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy import select

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels import whatsapp as whatsapp_channel
from bot.channels.web import create_app
from bot.channels.whatsapp import WEBHOOK_PATH, WhatsAppChannel
from bot.config import Settings
from bot.delivery import Kind
from bot.messages import Outbound
from tests.fakes.server import serving
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, BOT_NUMBER, USER, FakeTwilio

PUBLIC = "https://bot.example.org"
TEMPLATE = "HX" + "0" * 31 + "1"
ALERT = "HX" + "0" * 31 + "2"


@dataclass
class WhatsApp:
    twilio: FakeTwilio
    channel: WhatsAppChannel
    container: Container
    channel_settings: Settings | None = None
    """The settings the channel was built with (its templates, Twilio's address)."""

    def bodies(self, to: str = USER) -> list[str | None]:
        return [message.body for message in self.twilio.messages_to(to)]

    async def say(self, text: str, replies: int, **fields: object) -> list[str | None]:
        """Send as the user; wait until ``replies`` messages in all have reached them."""
        response = await self.twilio.send_inbound(body=text, **fields)  # type: ignore[arg-type]
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/xml")
        await self.twilio.wait_messages(replies, USER)
        return self.bodies()

    async def staff_answer(self, text: str, kind: Kind = "staff") -> None:
        """What a staff answer does (the referral issue builds the staff side): a row of kind
        ``staff`` put in the outbox for a user who wrote earlier, and the sender told (an
        alert, ``kind="alert"``, is put the same way)."""
        async with self.container.unit_of_work() as uow:
            user = await uow.users.get("whatsapp", USER)
            uow.outbox.put("whatsapp", USER, user, Outbound(text), kind=kind)
            await uow.commit()
        self.container.deliveries.notify("whatsapp", USER)
        await self.container.deliveries.drained()


async def started(
    container: Container, templates: dict[str, str], alerts: dict[str, str] | None = None,
) -> AsyncIterator[WhatsApp]:
    twilio = FakeTwilio(webhook_url=PUBLIC + WEBHOOK_PATH)
    async with serving(twilio) as twilio_url:
        settings = container.settings.model_copy(update={
            "twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "twilio_whatsapp_number": BOT_NUMBER, "twilio_api_base_url": twilio_url,
            "public_base_url": PUBLIC, "twilio_waiting_templates": templates,
            "twilio_alert_templates": alerts or {},
        })
        [channel] = bootstrap.build_channels(settings, container, [whatsapp_channel])
        assert isinstance(channel, WhatsAppChannel)
        async with serving(create_app(container, [channel]), lifespan="on") as bot_url:
            twilio.route_public(PUBLIC, bot_url)
            yield WhatsApp(twilio, channel, container, settings)
            await twilio.settle()


async def rows(container: Container, model: type) -> list:  # type: ignore[type-arg]
    async with container.sessions() as session:
        return list((await session.scalars(select(model).order_by(model.id))).all())


def conversation(twilio: FakeTwilio, timeout: float) -> Callable[[str, int], Awaitable[str]]:
    """``say(text, replies)``: the young person writes ``text`` on WhatsApp; the answer is the
    last of the ``replies`` messages they have received by then."""
    async def say(text: str, replies: int) -> str:
        assert (await twilio.send_inbound(body=text)).status_code == 200
        return str((await twilio.wait_messages(replies, USER, timeout=timeout))[-1].body)

    return say
