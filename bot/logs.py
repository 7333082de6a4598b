"""Log set-up for the commands: one JSON object a line, with the fields a record carries.

Fields come from ``extra={"fields": {...}}``; message text, names and phone numbers are never
put there. httpx logs request URLs (which hold the Telegram token), so it is kept at WARNING.
"""

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
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


def setup(level: str, stream: TextIO | None = None) -> None:
    """Every log record to ``stream`` (stderr) as JSON; drivers that log parameters stay quiet."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "aiosqlite", "sqlalchemy.engine", "twilio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
