import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot import bootstrap, logs
from bot.bootstrap import Container
from bot.config import Settings
from bot.storage import migrate
from nlu.embedded import load_or_train
from tests.support import secrets
from tests.support.databases import BACKENDS, temporary_database

os.environ["LOG_SALT"] = secrets.LOG_SALT  # what every `youthbot` the tests start inherits
# The optional profile question (a second message after a first topic page) is off in tests
# about other things, and in every `youthbot` they start; test_profile_question.py turns it on.
os.environ["PROFILE_QUESTION"] = "false"
WATCH = secrets.Watch()


@pytest.fixture(scope="session", autouse=True)
def _no_secret_in_any_log() -> Iterator[None]:
    """Fails the run if a secret of the tests reached any log line or a process's stderr."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    logs.quiet_libraries()
    yield
    root.removeHandler(WATCH)
    assert secrets.LEAKS == [], "secrets in the logs:\n" + "\n".join(secrets.LEAKS[:20])


@pytest.fixture(autouse=True)
def _watching() -> Iterator[None]:
    """Every test starts with the watch on the root logger at INFO, and what a test's own
    logging set-up changed (``logs.setup`` of a command run in-process: its level, its handler
    on a stream that is closed afterwards) is undone after it, so no test blinds the next."""
    root = logging.getLogger()
    if WATCH not in root.handlers:
        root.addHandler(WATCH)
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    async with temporary_database(backend, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def nlu_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One trained model for the whole run, in a folder of the run's own."""
    folder = tmp_path_factory.mktemp("nlu-model")
    load_or_train(folder)
    return folder


@pytest.fixture
def settings(database_url: str, nlu_model_dir: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, nlu_model_dir=nlu_model_dir,
        log_salt=SecretStr(secrets.LOG_SALT),
    )


@pytest.fixture
async def container(settings: Settings) -> AsyncIterator[Container]:
    built = await bootstrap.build(settings, migrate_sqlite=False)
    await migrate.upgrade(built.database)
    try:
        yield built
    finally:
        await built.close()
