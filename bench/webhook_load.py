"""The load generators of bench/telegram_webhook.py: closed loop (each chat posts its next
message once the previous POST returned) and open loop (a fixed rate, whatever the answers)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

SECRET = "bench-webhook-secret"
MESSAGES = ["menu", "2", "1", "menu", "3"]
"""Menu, jobs, a jobs page, menu, business: one reply each, for a new user too."""
OPEN_LOOP_PERIOD = 5.0
"""Seconds between two messages of one chat in the open loop (so a chat's messages never
overtake each other): the rate R is offered by R x this many chats."""


@dataclass
class Load:
    sent: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[str] = field(default_factory=Counter)
    """Failed POSTs by HTTP status or by the client's exception."""
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(self.failures.values())


def telegram_update(update_id: int, chat: int, message_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id, "date": int(time.time()), "text": text,
        "chat": {"id": chat, "type": "private", "first_name": f"User{chat}"},
        "from": {"id": chat, "is_bot": False, "first_name": f"User{chat}", "language_code": "sq"},
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


async def load(webhook: str, chats: Sequence[int], messages: list[str], concurrency: int,
               update_ids: itertools.count[int]) -> Load:
    """Every chat sends its messages in turn; all chats at once, ``concurrency`` in flight."""
    result, slots = Load(), asyncio.Semaphore(concurrency)
    # Idle connections are dropped after 2 s, before uvicorn's 5 s keep-alive closes them from
    # its side: reusing one it is closing fails the POST (a ReadError), which would count as a
    # lost reply although Telegram would simply redeliver.
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency,
                          keepalive_expiry=2.0)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=60,
                                 trust_env=False) as client:
        async def user(chat: int) -> None:
            for number, text in enumerate(messages, 1):
                body = telegram_update(next(update_ids), chat, number, text)
                async with slots:  # as many slots as connections: no wait inside httpx
                    await _post(client, webhook, body, chat, result)

        started = time.monotonic()
        await asyncio.gather(*(user(chat) for chat in chats))
        result.seconds = time.monotonic() - started
    return result


async def offer(webhook: str, rate: float, seconds: float,
                update_ids: itertools.count[int]) -> tuple[Load, range]:
    """Open loop: POST ``rate`` messages a second for ``seconds``, each on schedule whether or
    not the earlier ones were answered, from ``rate * OPEN_LOOP_PERIOD`` chats in turn (chat i's
    k-th message is ``MESSAGES[k]``); returns what was sent and the chats."""
    chats = range(1, max(1, round(rate * OPEN_LOOP_PERIOD)) + 1)
    total, result = round(rate * seconds), Load()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=200,
                          keepalive_expiry=2.0)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=60,
                                 trust_env=False) as client:
        async def post(number: int) -> None:
            chat, round_ = chats[number % len(chats)], number // len(chats)
            body = telegram_update(next(update_ids), chat, round_ + 1,
                                   MESSAGES[round_ % len(MESSAGES)])
            await _post(client, webhook, body, chat, result)

        started, posts = time.monotonic(), []
        for number in range(total):
            await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
            posts.append(asyncio.create_task(post(number)))
        await asyncio.gather(*posts)
        result.seconds = time.monotonic() - started
    return result, chats


async def _post(client: httpx.AsyncClient, webhook: str, body: dict[str, Any], chat: int,
                result: Load) -> None:
    """POST one update as Telegram would; note when it went out and how it failed, if it did."""
    result.sent[chat].append(time.monotonic())
    try:
        status = (await client.post(webhook, json=body)).status_code
        failure = None if status == 200 else str(status)
    except httpx.HTTPError as error:
        failure = type(error).__name__
    if failure is not None:
        result.failures[failure] += 1
