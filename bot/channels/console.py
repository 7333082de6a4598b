"""The bot in the terminal: one line is one message; replies print with numbered choices.

It has the output half of the channel contract (:mod:`bot.channels.base`): a ``pull`` channel
with no window, whose replies the terminal reads right after each turn. It is the terminal's
own, not in ``bot.bootstrap.CHANNELS``: ``youthbot chat`` builds it from its stdin, stdout and
``--user`` rather than from settings, it has no routes, and ``youthbot run`` does not serve it.
"""

import asyncio
from typing import TextIO

from bot.channels.numbered import render_numbered
from bot.delivery import DeliveryMode, deliver_pending
from bot.engine import Engine
from bot.i18n import Translator
from bot.messages import Inbound, Outbound
from bot.storage.unit_of_work import UnitOfWorkFactory

CHANNEL = "console"
TEXT_LIMIT = 100_000
"""A terminal has no limit of its own (it wraps); the content rules take no notice of this one,
since the console is not in the channel list."""
PROMPT = "> "


class ConsoleChannel:
    name = CHANNEL
    text_limit = TEXT_LIMIT
    delivery: DeliveryMode = "pull"
    window = None

    def __init__(
        self, engine: Engine, unit_of_work: UnitOfWorkFactory, user: str,
        locale: str | None, stdin: TextIO, stdout: TextIO,
    ) -> None:
        self._engine = engine
        self._uow = unit_of_work
        self._user = user
        self._locale = locale
        self._stdin = stdin
        self._stdout = stdout

    async def run(self, t: Translator | None = None) -> None:
        """Read until end of input. On a terminal, show a prompt and (with ``t``) how to leave."""
        interactive = self._stdin.isatty()
        if interactive and t is not None:
            self._print(t("console.hint"))
        while True:
            if interactive:
                self._stdout.write(PROMPT)
                self._stdout.flush()
            line = await asyncio.to_thread(self._stdin.readline)
            if not line:
                break
            await self.say(line.rstrip("\r\n"))

    async def say(self, text: str) -> None:
        inbound = Inbound(CHANNEL, self._user, text=text, locale=self._locale)
        self._locale = None  # --lang sets the language once; the conversation may change it
        await self._engine.handle(inbound)
        await deliver_pending(self._uow, CHANNEL, self.send, self._user)

    async def send(self, _address: str, reply: Outbound) -> None:
        self._print(render_numbered(reply))

    def _print(self, text: str) -> None:
        self._stdout.write(text + "\n\n")
        self._stdout.flush()
