import httpx

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.config import Settings


async def _get(container: Container, path: str, method: str = "GET") -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        return await client.request(method, path)


async def test_healthz_is_ok_with_a_database(container: Container) -> None:
    ok = await _get(container, "/healthz")
    assert ok.status_code == 200 and ok.json() == {"status": "ok", "database": "ok"}
    assert (await _get(container, "/healthz", "POST")).status_code == 405


async def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none"
    )
    container = await bootstrap.build(settings)
    try:
        down = await _get(container, "/healthz")
    finally:
        await container.close()
    assert down.status_code == 503 and down.json()["database"] == "down"
