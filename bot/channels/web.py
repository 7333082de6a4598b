"""The HTTP service: health, and every channel's webhook routes, in one Starlette app."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.bootstrap import Container


class Channel(Protocol):
    """What the service needs from a channel adapter."""

    def routes(self) -> list[BaseRoute]: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request's body, or None once it passes ``limit`` bytes (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def create_app(
    container: Container, channels: Sequence[Channel] = (), *, owns_container: bool = False
) -> Starlette:
    """The app; with ``owns_container`` it also closes the container when it shuts down, so
    that happens before the server returns (and re-raises the signal that stopped it)."""
    async def healthz(_request: Request) -> JSONResponse:
        try:
            async with container.database.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        started: list[Channel] = []
        try:
            for channel in channels:
                await channel.start()
                started.append(channel)
            yield
        finally:
            for channel in reversed(started):
                await channel.stop()
            if owns_container:
                await container.close()

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    for channel in channels:
        routes += channel.routes()
    return Starlette(routes=routes, lifespan=lifespan)
