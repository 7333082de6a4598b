"""The HTTP service: health now; the Telegram and WhatsApp webhooks mount here."""

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.bootstrap import Container


def create_app(container: Container) -> Starlette:
    async def healthz(_request: Request) -> JSONResponse:
        try:
            async with container.database.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"])])
