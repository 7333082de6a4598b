"""The fake Bot API (tests/fakes) in a process of its own, for bench/telegram_webhook.py.

    python bench/fake_telegram.py

Prints its base URL on the first line of stdout, then serves until SIGINT/SIGTERM. Besides the
Bot API it answers two read-only routes for the bench:

- ``GET /bench/count``: how many sendMessage calls succeeded so far (cheap, for polling);
- ``GET /bench/calls``: every successful sendMessage as ``[chat_id, arrival]`` in order, how
  many calls each method got, and how many requests the bot dropped before their body;
- ``GET /bench/messages``: every successful sendMessage as ``[chat_id, arrival, text]`` in
  order (tests/e2e/test_several_workers.py reads what each chat got).

Arrival times are ``time.monotonic()``, the system-wide clock the load generator also reads.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections import Counter
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes

from tests.fakes.server import serving
from tests.fakes.telegram_bot_api import FakeBotAPI


class HungUp(logging.Filter):
    """Counts instead of printing the fake's tracebacks for requests the bot dropped before
    their body: it cancels a "typing..." action still in flight once the turn is done."""

    count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        dropped = record.exc_info is not None and isinstance(record.exc_info[1], ClientDisconnect)
        self.count += dropped
        return not dropped


def bench_app(api: FakeBotAPI, hung_up: HungUp) -> Starlette:
    """The fake under ``/``, with the bench's read-only routes beside it."""
    def delivered() -> list[tuple[int, float]]:
        return [(int(call.params["chat_id"]), call.at) for call in list(api.calls)
                if call.method == "sendMessage" and call.status == 200
                and "chat_id" in call.params]

    async def count(_request: Request) -> JSONResponse:
        return JSONResponse(len(delivered()))

    async def calls(_request: Request) -> JSONResponse:
        methods = Counter(call.method for call in list(api.calls))
        return JSONResponse({"sent": delivered(), "methods": methods, "hung_up": hung_up.count})

    async def messages(_request: Request) -> JSONResponse:
        return JSONResponse([[int(call.params["chat_id"]), call.at, call.params.get("text")]
                             for call in list(api.calls) if call.method == "sendMessage"
                             and call.status == 200 and "chat_id" in call.params])

    return Starlette(routes=[
        Route("/bench/count", count), Route("/bench/calls", calls),
        Route("/bench/messages", messages), Mount("/", api),
    ])


async def main() -> None:
    hung_up = HungUp()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("uvicorn.error").addFilter(hung_up)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    async with serving(bench_app(FakeBotAPI(), hung_up)) as url:
        print(url, flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
