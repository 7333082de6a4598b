"""The one list of channel modules in bootstrap drives ``youthbot run`` (which channels are built
and get a sender) and ``youthbot content check`` (each channel's limit on one message); a new
channel is one module with the contract and one entry in the list."""

import ast
from pathlib import Path
from types import ModuleType

from pydantic import SecretStr
from starlette.routing import BaseRoute

from bot import bootstrap
from bot.bootstrap import Container
from bot.channels.base import Channel, Services
from bot.config import Settings
from bot.content_check import problems
from bot.messages import Outbound

ROOT = Path(__file__).resolve().parents[2]
CONTENT = Settings(_env_file=None).content_dir  # type: ignore[call-arg]
EVERYTHING = {
    "telegram_bot_token": SecretStr("123:abc"),
    "twilio_account_sid": "AC" + "0" * 32, "twilio_auth_token": SecretStr("token"),
    "twilio_whatsapp_number": "whatsapp:+14155238886", "public_base_url": "https://bot.example.org",
    "web_secret_key": SecretStr("a-web-secret-of-32-characters-xx"),
}


def test_every_listed_module_has_the_contract() -> None:
    modules = bootstrap.channel_modules()
    assert [module.NAME for module in modules] == ["telegram", "whatsapp", "web"]
    for module in modules:
        assert isinstance(module.TEXT_LIMIT, int) and module.TEXT_LIMIT > 0
        assert callable(module.build)


async def test_without_settings_no_channel_is_built(container: Container) -> None:
    assert bootstrap.build_channels(container.settings, container) == []
    for module in bootstrap.channel_modules():
        services = bootstrap.channel_services(container, module.NAME)
        assert module.build(container.settings, services) is None
    assert container.deliveries.worker("telegram") is None


async def test_with_settings_each_module_builds_its_channel_and_gets_a_sender(
    container: Container,
) -> None:
    settings = container.settings.model_copy(update=EVERYTHING)
    channels = bootstrap.build_channels(settings, container)
    modules = bootstrap.channel_modules()
    assert [channel.name for channel in channels] == [module.NAME for module in modules]
    for channel, module in zip(channels, modules, strict=True):
        assert channel.text_limit == module.TEXT_LIMIT
        assert channel.routes() and all(isinstance(r, BaseRoute) for r in channel.routes())
        pushed = channel.delivery == "push"
        assert (container.deliveries.worker(channel.name) is not None) is pushed
    assert [c.delivery for c in channels] == ["push", "push", "pull"]  # the web chat is read
    assert [c.window is not None for c in channels] == [False, True, False]  # WhatsApp's 24 h


def test_content_check_uses_each_listed_channels_limit() -> None:
    assert bootstrap.text_limits() == {"telegram": 4096, "whatsapp": 1600, "web": 4096}
    assert problems(CONTENT, bootstrap.text_limits()) == []


class _TinyChannel:
    """A pull channel of a few lines: what a new adapter module's ``build`` returns."""

    name = "tiny"
    text_limit = 120
    delivery = "pull"
    window = None
    state = "on"

    def routes(self) -> list[BaseRoute]:
        return []

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def send(self, address: str, reply: Outbound) -> str | None:
        return None


def _tiny_module() -> ModuleType:
    module = ModuleType("tiny")

    def build(settings: Settings, services: Services) -> Channel | None:
        return _TinyChannel()

    module.NAME, module.TEXT_LIMIT, module.build = "tiny", 120, build  # type: ignore[attr-defined]
    return module


async def test_a_new_module_in_the_list_is_built_and_checked(container: Container) -> None:
    tiny = _tiny_module()
    [channel] = bootstrap.build_channels(container.settings, container, [tiny])  # type: ignore[list-item]
    assert channel.name == "tiny"
    assert container.deliveries.worker("tiny") is None  # pull: read by the client, no sender
    found = problems(CONTENT, bootstrap.text_limits([tiny]))  # type: ignore[list-item]
    assert found and all("over the tiny limit of 120" in problem for problem in found)


def test_the_cli_and_content_check_name_no_channel() -> None:
    """No channel-specific branch: the CLI's service commands and the content check get
    channels and limits from bootstrap only."""
    for path in ("bot/cli/service.py", "bot/content_check.py", "bot/content.py"):
        source = (ROOT / path).read_text(encoding="utf-8")
        names = {node.value for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        imported = {f"{node.module}.{alias.name}" for node in ast.walk(ast.parse(source))
                    if isinstance(node, ast.ImportFrom) and node.module for alias in node.names}
        assert not {"telegram", "whatsapp"} & names, path
        assert not [name for name in imported
                    if name.startswith(("bot.channels.telegram", "bot.channels.whatsapp"))], path
