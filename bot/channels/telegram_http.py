"""python-telegram-bot's requests to the Bot API over aiohttp instead of httpx.

Every reply is one Bot API request; httpx with httpcore and anyio under it spent about a fifth
of the service's CPU on them under load (bench/telegram_webhook.py, README "Throughput,
measured"), aiohttp a good deal less. python-telegram-bot still builds each request and reads
each answer (its ``BaseRequest``); this class only carries the bytes, and turns transport
failures into python-telegram-bot's ``TimedOut`` and ``NetworkError`` as its httpx class does.
Polling keeps python-telegram-bot's own request class.

A proxy comes from the environment (``HTTPS_PROXY``, ``NO_PROXY``) as httpx reads it, looked up
once per host: aiohttp's own ``trust_env`` looks it (and ``~/.netrc``) up again in a thread for
every request, which cost more CPU than the request itself.
"""

import urllib.request
from urllib.parse import urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

TIMEOUT = 5.0
"""Seconds for each of connect, read and write, as python-telegram-bot's defaults."""


class AiohttpRequest(BaseRequest):
    """A pool of ``connections`` kept-alive connections to the Bot API."""

    def __init__(self, connections: int = 256) -> None:
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float:
        return TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        connect, pool = _seconds(connect_timeout), _seconds(pool_timeout, 1.0)
        timeout = aiohttp.ClientTimeout(
            sock_connect=connect, sock_read=_seconds(read_timeout),
            connect=None if connect is None or pool is None else connect + pool,
        )
        try:
            async with self._session.request(method, url, data=_body(request_data),
                                             timeout=timeout,
                                             proxy=self._proxy(url)) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:  # its text may hold the URL, token and all
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error

    def _proxy(self, url: str) -> str | None:
        """The environment's proxy for the URL's scheme and host, or None (``NO_PROXY``)."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxies = urllib.request.getproxies_environment()
            bypass = urllib.request.proxy_bypass(key[1], proxies)
            self._proxies[key] = None if bypass else proxies.get(key[0])
        return self._proxies[key]


def _seconds(value: float | None | object, default: float = TIMEOUT) -> float | None:
    """python-telegram-bot's timeout argument: a number, None (no limit) or "the default"."""
    if value is None or isinstance(value, int | float):
        return value
    return default


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """The parameters as a form, as python-telegram-bot's httpx class sends them; with files,
    as multipart."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
