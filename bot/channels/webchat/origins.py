"""Who may call the web chat's API from a browser: its own pages and ``WEBCHAT_ALLOWED_ORIGINS``.

Starlette's CORS middleware answers the browsers' preflights and marks the answers to listed
origins readable. A browser refuses to read anything else, but it still sends a simple
request (a ``text/plain`` POST) to any origin: so the guard refuses, with 403, every request
under ``/webchat`` whose ``Origin`` is neither listed nor the service's own, before it reaches a
turn. Loading the script or the page sends no ``Origin`` (a plain ``<script src>``, a link).
Clients that are not browsers send no ``Origin`` and are limited by the rate limits alone.
No cookies are read or set anywhere, so there are no credentials to share.
"""

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send


class OriginGuard:
    """403 for a request from a page of an origin that may not call the API."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...], public: str | None) -> None:
        self._app = app
        self._allowed = frozenset(allowed)
        self._public = public.rstrip("/") if public else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._refused(Request(scope)):
            await JSONResponse({"error": "origin"}, status_code=403)(scope, receive, send)
            return
        await self._app(scope, receive, send)

    def _refused(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is None or origin in self._allowed:
            return False
        own = f"{request.url.scheme}://{request.url.netloc}"
        return origin not in (own, self._public)


def middleware(allowed: tuple[str, ...], public: str | None) -> list[Middleware]:
    """CORS outermost (it answers preflights), then the guard."""
    return [
        Middleware(CORSMiddleware, allow_origins=list(allowed), allow_methods=["GET", "POST"],
                   allow_headers=["content-type"], allow_credentials=False, max_age=600),
        Middleware(OriginGuard, allowed=allowed, public=public),
    ]
