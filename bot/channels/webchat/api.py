"""The web chat's JSON API (DESIGN.md, "The fixed interface"): open a session, post a
message and get the replies of its turn, poll for the replies that came later.

A turn's replies are the chat's outbox rows after the newest one before it, so a staff answer
written meanwhile comes along too, and a retried POST (the same client message id, deduped
like a platform's redelivery) finds no new turn and answers no second time. A refused request
gets a 4xx with a short JSON ``error``; too many get 429, ``Retry-After`` and a polite reply
the widget shows as the bot's.
"""

import logging
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.channels.webchat import inputs
from bot.channels.webchat.limits import Throttle
from bot.channels.webchat.sessions import Session, SessionSigner
from bot.engine import Engine
from bot.i18n import Translator
from bot.messages import Inbound
from bot.storage.repositories import Pulled
from bot.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("youthbot.webchat")

CHANNEL = "web"
START = "/start"
"""What a new session says first: the welcome, with its campaign counted as a deep link's."""
PAGE = 100
"""Replies one answer carries at most (a poll asks again for the rest)."""


@dataclass(frozen=True)
class Chat:
    """What the API needs of the service around it."""

    engine: Engine
    unit_of_work: UnitOfWorkFactory
    translators: dict[str, Translator]
    default_locale: str
    retention_seconds: float


class Api:
    def __init__(self, chat: Chat, signer: SessionSigner, throttle: Throttle) -> None:
        self._chat = chat
        self._signer = signer
        self._throttle = throttle
        self._locales = tuple(chat.translators)

    async def create(self, request: Request) -> JSONResponse:
        """``POST /webchat/sessions``: a new session, and the bot's welcome in it."""
        if wait := self._throttle.new_session(_ip(request)):
            return self._slow_down(wait)
        asked = await inputs.new_session(request, self._throttle.limits.body_bytes,
                                           self._locales)
        if isinstance(asked, JSONResponse):
            return asked
        session_id = self._signer.new()
        session = self._signer.check(session_id)
        assert session is not None
        replies = await self._turn(session, Inbound(
            CHANNEL, session.address, text=START, delivery_id=f"{session.address}:start",
            campaign=asked.campaign, locale=asked.locale))
        return JSONResponse({"session": session_id, **replies}, headers=inputs.NO_STORE)

    async def post(self, request: Request) -> JSONResponse:
        """``POST /webchat/sessions/{session}/messages``: a message and its turn's replies."""
        session = await self._session(request)
        if isinstance(session, JSONResponse):
            return session
        if wait := self._throttle.message(_ip(request), session.address):
            return self._slow_down(wait)
        message = await inputs.message(request, self._throttle.limits.body_bytes)
        if isinstance(message, JSONResponse):
            return message
        replies = await self._turn(session, Inbound(
            CHANNEL, session.address, text=message.text, choice_id=message.choice,
            delivery_id=f"{session.address}:{message.client_id}"))
        return JSONResponse(replies, headers=inputs.NO_STORE)

    async def poll(self, request: Request) -> JSONResponse:
        """``GET /webchat/sessions/{session}/messages?after=ID``: the replies after ``ID``."""
        session = await self._session(request)
        if isinstance(session, JSONResponse):
            return session
        if wait := self._throttle.poll(_ip(request), session.address):
            return self._slow_down(wait)
        after = inputs.after(request)
        if after is None:
            return inputs.refused(400, "bad_after")
        return JSONResponse(await self._read(session, after), headers=inputs.NO_STORE)

    async def _turn(self, session: Session, inbound: Inbound) -> dict[str, object]:
        # Each statement around the turn is atomic on its own (a read; marking rows read,
        # which may be repeated): on PostgreSQL without BEGIN and COMMIT round trips.
        async with self._chat.unit_of_work(autocommit=True) as uow:
            before = await uow.pulled.latest(CHANNEL, session.address)
        await self._chat.engine.handle(inbound)
        return await self._read(session, before)

    async def _read(self, session: Session, after: int) -> dict[str, object]:
        async with self._chat.unit_of_work(autocommit=True) as uow:
            pulled = await uow.pulled.read(CHANNEL, session.address, after, PAGE)
            await uow.commit()
        return _shown(pulled)

    async def _session(self, request: Request) -> Session | JSONResponse:
        """The path's session; 403 for one forged, or expired: issued more than
        ``RETENTION_DAYS`` ago, and its conversation ended by the retention job (or erased,
        or never begun)."""
        session = self._signer.check(request.path_params.get("session", ""))
        if session is None:
            return inputs.refused(403, "session")
        if session.older_than(self._chat.retention_seconds) and not await self._alive(session):
            return inputs.refused(403, "session")
        return session

    async def _alive(self, session: Session) -> bool:
        async with self._chat.unit_of_work(autocommit=True) as uow:
            user = await uow.users.get(CHANNEL, session.address)
        return user is not None

    def _slow_down(self, wait: int) -> JSONResponse:
        """429 with ``Retry-After``, and the polite reply (in the default language: the
        widget shows its own, in the page's)."""
        t = self._chat.translators[self._chat.default_locale]
        log.info("webchat throttled", extra={"fields": {"retry_after_s": wait}})
        response = inputs.refused(
            429, "slow_down", retry_after=wait,
            replies=[{"id": None, "text": t("webchat.slow_down"), "choices": []}])
        response.headers["Retry-After"] = str(wait)
        return response


def _shown(pulled: list[Pulled]) -> dict[str, object]:
    replies = [{"id": item.id, "text": item.reply.text,
                "choices": [{"id": c.id, "label": c.label} for c in item.reply.choices]}
               for item in pulled]
    return {"replies": replies, "ended": any(item.last for item in pulled)}


def _ip(request: Request) -> str:
    return request.client.host if request.client else "-"
