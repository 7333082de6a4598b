"""The test suite's secrets, and a watch that fails the run if any of them reaches a log.

Every log record of the run (a handler on the root logger, at INFO, with the libraries as quiet
as ``youthbot`` makes them) and the stderr of every ``youthbot`` process the e2e tests start
(:func:`check`) are searched for these values; ``tests/conftest.py`` fails the session at its end
if one was found, naming where.
"""

import json
import logging

from tests.fakes.telegram_bot_api import TOKEN
from tests.fakes.twilio_api import AUTH_TOKEN

LOG_SALT = "test-log-salt-7c1d9e2a4b"
WEBHOOK_SECRET = "s3cret-token_for-tests"
WEB_SECRET_KEY = "web-chat-key-for-tests-5b8e0c3f"
SECRETS = {"the Bot API token": TOKEN, "the Twilio auth token": AUTH_TOKEN,
           "LOG_SALT": LOG_SALT, "the webhook secret": WEBHOOK_SECRET,
           "WEB_SECRET_KEY": WEB_SECRET_KEY}

LEAKS: list[str] = []
"""Where a secret was seen: "<secret name> in <source>: <the line, cut>"."""


def check(text: str, source: str) -> None:
    """Note every line of ``text`` (a log, a process's stderr) that holds a secret."""
    for line in text.splitlines():
        for name, secret in SECRETS.items():
            if secret in line:
                LEAKS.append(f"{name} in {source}: {line[:300]}")


class Watch(logging.Handler):
    """Every record as a line (message, fields, traceback), checked for the secrets."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "uvicorn.access":
            # the request lines of the servers the tests run in-process: the fake Bot API's
            # paths hold the token by Telegram's design; the bot's own request lines are
            # checked in the stderr of `youthbot run`
            return
        try:
            line = record.getMessage() + json.dumps(getattr(record, "fields", {}), default=str)
            if record.exc_info:
                line += logging.Formatter().formatException(record.exc_info)
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is no leak
            return
        check(line.replace("\n", " "), f"the log of {record.name}")
