"""Run a Starlette app under uvicorn on 127.0.0.1, on a free port, for the length of a test."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette


@asynccontextmanager
async def serving(app: Starlette, lifespan: str = "off") -> AsyncIterator[str]:
    """Yield the base URL while ``app`` answers real HTTP on loopback (``lifespan="on"`` runs
    the app's start-up and shut-down, as ``youthbot run`` does)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan=lifespan))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
