"""Talking to the engine as a channel would, collecting what would reach the user."""

from bot.bootstrap import Container
from bot.delivery import deliver_pending
from bot.engine import Engine
from bot.messages import Inbound, Outbound

CHANNEL = "test"


class Conversation:
    """One user's side of a chat: ``say``/``press`` and get back the delivered replies."""

    def __init__(
        self, container: Container, address: str, channel: str = CHANNEL,
        engine: Engine | None = None,
    ) -> None:
        self.container = container
        self.engine = engine or container.engine
        self.address = address
        self.channel = channel
        self.received: list[Outbound] = []

    async def send(self, inbound: Inbound) -> list[Outbound]:
        await self.engine.handle(inbound)
        delivered: list[Outbound] = []

        async def collect(_address: str, reply: Outbound) -> None:
            delivered.append(reply)

        await deliver_pending(self.container.unit_of_work, self.channel, collect, self.address)
        self.received += delivered
        return delivered

    async def say(self, text: str, **fields: object) -> list[Outbound]:
        return await self.send(Inbound(self.channel, self.address, text=text, **fields))  # type: ignore[arg-type]

    async def press(self, choice_id: str) -> list[Outbound]:
        return await self.send(Inbound(self.channel, self.address, choice_id=choice_id))


def labels(reply: Outbound) -> list[str]:
    return [choice.label for choice in reply.choices]


def ids(reply: Outbound) -> list[str]:
    return [choice.id for choice in reply.choices]
