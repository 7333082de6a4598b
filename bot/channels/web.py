"""The HTTP service: health, and every channel's routes, in one Starlette app.

It knows channels only through the contract (:mod:`bot.channels.base`) and the service only
through :class:`Service` (the composition root's container fits it); adapters never import
this module.
"""

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.channels.base import Input
from bot.delivery import Deliveries
from bot.storage import migrate


class Served(Input, Protocol):
    """A channel as the app serves it: its input half, and its name for ``/readyz``."""

    @property
    def name(self) -> str: ...


class Background(Protocol):
    """Something the process runs beside the app (e.g. its elected senders and scheduler)."""

    def start(self) -> None: ...
    async def stop(self) -> None: ...


class Service(Protocol):
    """What the app needs of the service around it."""

    @property
    def database(self) -> AsyncEngine: ...
    @property
    def deliveries(self) -> Deliveries: ...
    async def close(self) -> None: ...


def create_app(
    service: Service, channels: Sequence[Served] = (), *, owns_container: bool = False,
    states: Mapping[str, str] | None = None, background: Sequence[Background] | None = None,
    pages: Sequence[BaseRoute] = (),
) -> Starlette:
    """The app. It starts the channels, then ``background`` (by default: every sender of the
    service's deliveries, at once), and stops them the other way round; with
    ``owns_container`` it also closes the service when it shuts down, so that happens before
    the server returns (and re-raises the signal that stopped it).

    ``/healthz`` is liveness (the process and its database answer); ``/readyz`` is readiness:
    200 only when the database answers and its schema is at the migrations' head, with each
    channel's state (``states``, by the settings, updated by the running channels).
    ``pages``: routes of the service's own pages (the staff console), served beside them."""
    parts = [_Senders(service.deliveries)] if background is None else list(background)

    async def readyz(_request: Request) -> JSONResponse:
        shown = {**(states or {}), **{channel.name: channel.state for channel in channels}}
        problem = await migrate.schema_problem(service.database)
        if problem is not None:
            return JSONResponse({"status": "unavailable", "reason": problem.reason,
                                 "channels": shown}, status_code=503)
        return JSONResponse({"status": "ok", "channels": shown})

    async def healthz(_request: Request) -> JSONResponse:
        try:
            async with service.database.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        started: list[Served] = []
        running: list[Background] = []
        try:
            for channel in channels:
                await channel.start()
                started.append(channel)
            for part in parts:
                part.start()
                running.append(part)
            yield
        finally:
            for part in reversed(running):
                await part.stop()
            for channel in reversed(started):
                await channel.stop()
            if owns_container:
                await service.close()

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"]),
                               Route("/readyz", readyz, methods=["GET"])]
    for channel in channels:
        routes += channel.routes()
    routes += pages
    return Starlette(routes=routes, lifespan=lifespan)


class _Senders:
    """Every sender of the deliveries, in this process, without elections (one process)."""

    def __init__(self, deliveries: Deliveries) -> None:
        self._deliveries = deliveries

    def start(self) -> None:
        self._deliveries.start()

    async def stop(self) -> None:
        await self._deliveries.shutdown()
