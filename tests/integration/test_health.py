import httpx

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels.web import create_app
from bot.config import Settings
from bot.storage import migrate

STATES = {"telegram": "off: TELEGRAM_BOT_TOKEN is not set", "whatsapp": "on (webhook)"}


async def _get(container: Container, path: str, method: str = "GET") -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(container, states=STATES))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        return await client.request(method, path)


async def test_healthz_is_ok_with_a_database(container: Container) -> None:
    ok = await _get(container, "/healthz")
    assert ok.status_code == 200 and ok.json() == {"status": "ok", "database": "ok"}
    assert (await _get(container, "/healthz", "POST")).status_code == 405


async def _on_an_unreachable_database(path: str, database_url: str) -> httpx.Response:
    """``path``'s answer from a service whose database does not answer."""
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    container = await bootstrap.build(settings)
    try:
        return await _get(container, path)
    finally:
        await container.close()


async def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    down = await _on_an_unreachable_database(
        "/healthz", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert down.status_code == 503 and down.json()["database"] == "down"


async def test_readyz_is_ok_at_head_and_shows_each_channels_state(container: Container) -> None:
    ready = await _get(container, "/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "channels": STATES}


async def test_readyz_is_503_with_the_reason_when_the_schema_is_behind_head(
    container: Container,
) -> None:
    await migrate.downgrade(container.database, "-1")
    behind = await migrate.current_revision(container.database)
    not_ready = await _get(container, "/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["reason"] == (
        f"the database schema is at revision {behind}, this code needs "
        f"{migrate.head_revision()}: run `youthbot db upgrade`")
    assert (await _get(container, "/healthz")).status_code == 200  # alive, only not ready


async def test_readyz_is_503_when_the_database_is_unreachable() -> None:
    down = await _on_an_unreachable_database("/readyz", "postgresql://nobody@127.0.0.1:1/none")
    assert down.status_code == 503
    assert down.json()["reason"] == "the database does not answer (ConnectionRefusedError)"
