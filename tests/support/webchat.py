"""A web-chat client as the widget is one: it opens a session, writes or taps a choice with a
fresh client message id, and polls for what came later; for tests and the bench."""

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from bot.config import Settings
from tests.support.secrets import WEB_SECRET_KEY

_IDS = itertools.count(1)


def with_webchat(settings: Settings, origins: str = "") -> Settings:
    return settings.model_copy(update={"web_secret_key": SecretStr(WEB_SECRET_KEY),
                                       "webchat_allowed_origins": origins})


@dataclass
class Browser:
    """One session of the web chat, through ``client`` (its base URL is the service's)."""

    client: httpx.AsyncClient
    headers: dict[str, str] = field(default_factory=dict)
    session: str = ""
    last: int = 0
    seen: list[dict[str, Any]] = field(default_factory=list)

    async def open(self, **asked: str) -> list[dict[str, Any]]:
        response = await self.client.post("/webchat/sessions", json=asked, headers=self.headers)
        assert response.status_code == 200, response.text
        self.session = response.json()["session"]
        return self._took(response)

    async def say(self, text: str, client_id: str | None = None) -> list[dict[str, Any]]:
        return self._took(await self.post({"id": client_id or self.new_id(), "text": text}))

    async def press(self, choice: str) -> list[dict[str, Any]]:
        return self._took(await self.post({"id": self.new_id(), "choice": choice}))

    async def post(self, body: dict[str, Any]) -> httpx.Response:
        return await self.client.post(f"/webchat/sessions/{self.session}/messages", json=body,
                                      headers=self.headers)

    async def poll(self) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"/webchat/sessions/{self.session}/messages", params={"after": self.last},
            headers=self.headers)
        return self._took(response)

    @staticmethod
    def new_id() -> str:
        return f"c{next(_IDS)}"

    def _took(self, response: httpx.Response) -> list[dict[str, Any]]:
        assert response.status_code == 200, response.text
        replies: list[dict[str, Any]] = response.json()["replies"]
        for reply in replies:
            self.last = max(self.last, reply["id"])
        self.seen += replies
        return replies


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["text"] for reply in replies]


def choice_ids(reply: dict[str, Any]) -> list[str]:
    return [choice["id"] for choice in reply["choices"]]
