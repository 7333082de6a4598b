"""Log set-up for the commands: one JSON object a line, with the fields a record carries.

Fields come from ``extra={"fields": {...}}``; message text, names and phone numbers are never
put there. httpx logs request URLs (which hold the Telegram token), so it is kept at WARNING.
As a last guard, every secret of the settings (``Settings.secrets()``) and anything shaped like a
Bot API URL's token is replaced by ``[secret]`` in every line, whatever logged it (a library's
exception message, a traceback).
"""

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

HIDDEN = "[secret]"
_BOT_URL_TOKEN = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")


class JsonFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # as written in the line: JSON escapes quotes and backslashes
        self._secrets = sorted({form for secret in secrets if secret
                                for form in (secret, json.dumps(secret)[1:-1])},
                               key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return self._hide(self._line(record))

    def _hide(self, line: str) -> str:
        for secret in self._secrets:
            line = line.replace(secret, HIDDEN)
        return _BOT_URL_TOKEN.sub("/bot" + HIDDEN, line)

    def _line(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def setup(level: str, stream: TextIO | None = None, secrets: Iterable[str] = ()) -> None:
    """Every log record to ``stream`` (stderr) as JSON, ``secrets`` hidden; drivers that log
    parameters stay quiet."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet_libraries()


def quiet_libraries() -> None:
    """Libraries that log request URLs (the Telegram token is in them) or parameters: only
    their warnings."""
    for noisy in ("httpx", "httpcore", "aiosqlite", "sqlalchemy.engine", "twilio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
