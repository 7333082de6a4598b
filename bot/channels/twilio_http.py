"""The twilio REST client, async, with every request sent to a configurable base URL.

twilio hard-codes ``https://*.twilio.com``; ``TWILIO_API_BASE_URL`` (e.g. a fake on
``http://127.0.0.1:PORT`` in tests) replaces the scheme and host of each request, for every
Twilio domain. The aiohttp session behind the client is opened when the client is built, so
``make_client`` must run inside the running event loop and ``close_client`` on shutdown.
Send with ``await client.messages.create_async(...)``.
"""

import base64
import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

DEFAULT_BASE_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 30.0

_logger = logging.getLogger(__name__)


class BaseUrlHttpClient(AsyncTwilioHttpClient):
    """``AsyncTwilioHttpClient`` that sends to ``base_url`` (unless it is Twilio's own), applies
    its ``timeout`` (twilio's async client ignores it), sends credentials as a header (aiohttp
    3.14 deprecates the ``BasicAuth`` twilio uses, and a warning per request is noise), and
    logs only at DEBUG, without the query string (a URL can carry a phone number)."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(logger=_logger, **kwargs)
        base = base_url.rstrip("/")
        self._base = None if base == DEFAULT_BASE_URL else urlsplit(base)

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if auth is not None:
            headers = {**(headers or {}), "Authorization": _basic_auth(*auth)}
        return await super().request(
            method, self._rebase(url), params=params, data=data, headers=headers, auth=None,
            timeout=self.timeout if timeout is None else timeout,
            allow_redirects=allow_redirects,
        )

    def _rebase(self, url: str) -> str:
        if self._base is None:
            return url
        parts = urlsplit(url)
        path = self._base.path + parts.path
        return urlunsplit((self._base.scheme, self._base.netloc, path, parts.query, ""))

    def log_request(self, kwargs: dict[str, Any]) -> None:
        self.logger.debug("twilio request %s %s", kwargs["method"], urlsplit(kwargs["url"]).path)

    def log_response(self, status_code: int, response: Any) -> None:
        self.logger.debug("twilio response %s", status_code)


def _basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def make_client(
    account_sid: str, auth_token: str, base_url: str = DEFAULT_BASE_URL, *,
    timeout: float = DEFAULT_TIMEOUT,
) -> Client:
    """A twilio ``Client`` for ``create_async`` calls; call inside the running event loop."""
    http_client = BaseUrlHttpClient(base_url, timeout=timeout)
    return Client(account_sid, auth_token, http_client=http_client)


async def close_client(client: Client) -> None:
    """Close the client's aiohttp session (else aiohttp warns "Unclosed client session")."""
    http_client = client.http_client
    if isinstance(http_client, AsyncTwilioHttpClient):
        await http_client.close()
