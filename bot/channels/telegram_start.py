"""Starting the Telegram channel without taking the service down with it.

The Bot API may be unreachable when the service starts (a network blip, Telegram down). Then
the first attempt fails, and :class:`Retrying` tries again in the background, waiting 1 s, 2 s,
4 s … up to a minute between attempts, while HTTP, WhatsApp and the senders keep serving. A
token the Bot API rejects is a configuration error: one line in the log, and Telegram stays off.
No log line names the token: python-telegram-bot's ``InvalidToken`` message holds it in full,
so only the error's class is logged.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

log = logging.getLogger("youthbot.telegram")

OFF_WITHOUT_TOKEN = "off: TELEGRAM_BOT_TOKEN is not set"
FIRST_WAIT = 1.0
MAX_WAIT = 60.0


class Retrying:
    """Runs ``start_once`` until it succeeds; ``state`` says where it is (for ``/readyz``)."""

    def __init__(self, start_once: Callable[[], Awaitable[None]], mode: str,
                 first_wait: float = FIRST_WAIT, max_wait: float = MAX_WAIT) -> None:
        self._start_once = start_once
        self._mode = mode
        self._first_wait, self._max_wait = first_wait, max_wait
        self._task: asyncio.Task[None] | None = None
        self.state = "starting"

    @property
    def started(self) -> bool:
        return self.state.startswith("on")

    async def start(self) -> None:
        """The first attempt now (as before, when all goes well); then in the background."""
        if await self._attempt(1, self._first_wait):
            return
        self._task = asyncio.create_task(self._retry())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _retry(self) -> None:
        wait, attempt = self._first_wait, 1
        while True:
            await asyncio.sleep(wait)
            attempt += 1
            wait = min(wait * 2, self._max_wait)
            if await self._attempt(attempt, wait):
                return

    async def _attempt(self, attempt: int, next_wait: float) -> bool:
        """True when done (started, or off for good); False to try again after ``next_wait``."""
        try:
            await self._start_once()
        except InvalidToken:
            self.state = "off: the Bot API rejected TELEGRAM_BOT_TOKEN"
            log.error("telegram off: the Bot API rejected TELEGRAM_BOT_TOKEN",
                      extra={"fields": {"channel": "telegram"}})
            return True
        except (NetworkError, RetryAfter) as error:
            self.state = f"starting: the Bot API did not answer (attempt {attempt})"
            log.warning("telegram start failed; retrying", extra={"fields": {
                "channel": "telegram", "attempt": attempt, "error": type(error).__name__,
                "retry_in_s": next_wait}})
            return False
        except TelegramError as error:
            self.state = f"off: the Bot API refused the start ({type(error).__name__})"
            log.error("telegram off: the Bot API refused the start", extra={"fields": {
                "channel": "telegram", "error": type(error).__name__}})
            return True
        self.state = f"on ({self._mode})"
        if attempt > 1:
            log.info(f"telegram {self.state}", extra={"fields": {
                "channel": "telegram", "attempt": attempt}})
        return True
