"""The anonymous web chat: a campaign site embeds one script, and a young person talks to the
same bot and the same staff with no account and no phone number.

A **pull** channel: replies wait in the outbox until the browser reads them (in the answer to
its POST, or by polling), so any web worker serves any session and nothing ties a browser to a
process. Session ids are random and signed with ``WEB_SECRET_KEY`` (:mod:`.sessions`); the
chat's address is derived from them. The routes are DESIGN.md's (``/webchat/...``): the API
(:mod:`.api`), the script and the standalone page (:mod:`.page`), behind CORS for
``WEBCHAT_ALLOWED_ORIGINS`` (:mod:`.origins`) and the rate limits (:mod:`.limits`). Off without
``WEB_SECRET_KEY``.
"""

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from bot.channels.base import Services
from bot.channels.webchat import origins
from bot.channels.webchat.api import CHANNEL, Api, Chat
from bot.channels.webchat.limits import Limits, Throttle
from bot.channels.webchat.page import Pages
from bot.channels.webchat.sessions import SessionSigner
from bot.config import Settings
from bot.delivery import DeliveryMode
from bot.messages import Outbound

__all__ = ["CHANNEL", "NAME", "PREFIX", "TEXT_LIMIT", "WebChatChannel", "build", "describe"]

NAME = CHANNEL
TEXT_LIMIT = 4096
"""A page has no limit of its own; this keeps one reply readable on a phone."""
PREFIX = "/webchat"
DAY = 86_400
KEY = "WEB_SECRET_KEY"


def build(settings: Settings, services: Services, limits: Limits | None = None
          ) -> "WebChatChannel | None":
    """The channel, when ``WEB_SECRET_KEY`` is set."""
    if settings.web_secret_key is None:
        return None
    return WebChatChannel(settings, services, limits or Limits())


def describe(settings: Settings) -> str:
    if settings.web_secret_key is None:
        return f"off: {KEY} is not set"
    return "on (pull)"


class WebChatChannel:
    name = CHANNEL
    text_limit = TEXT_LIMIT
    delivery: DeliveryMode = "pull"
    window = None
    state = "on (pull)"

    def __init__(self, settings: Settings, services: Services, limits: Limits) -> None:
        assert settings.web_secret_key is not None
        chat = Chat(services.engine, services.unit_of_work, services.translators,
                    settings.default_locale, settings.retention_days * DAY)
        self._api = Api(chat, SessionSigner(settings.web_secret_key.get_secret_value()),
                        Throttle(limits))
        self._pages = Pages(services.translators, settings.default_locale)
        self._origins = settings.allowed_origins
        self._public = settings.public_base_url

    def routes(self) -> list[BaseRoute]:
        inner = Starlette(routes=[
            Route("/", self._pages.page, methods=["GET"]),
            Route("/widget.js", self._pages.script, methods=["GET"]),
            Route("/widget.css", self._pages.style, methods=["GET"]),
            Route("/sessions", self._api.create, methods=["POST"]),
            Route("/sessions/{session}/messages", self._api.post, methods=["POST"]),
            Route("/sessions/{session}/messages", self._api.poll, methods=["GET"]),
        ], middleware=origins.middleware(self._origins, self._public))
        return [Mount(PREFIX, app=inner)]

    async def start(self) -> None:
        """Nothing to start: the browser comes to us."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def send(self, address: str, reply: Outbound) -> str | None:
        """Never called: a pull channel has no sender (its client reads the outbox)."""
        raise NotImplementedError
