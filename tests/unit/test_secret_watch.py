"""The watch that fails the run when a test secret reaches a log sees one where it can appear:
a log record's message, its fields, its traceback, and a process's output."""

import logging

from tests.fakes.telegram_bot_api import TOKEN
from tests.fakes.twilio_api import AUTH_TOKEN
from tests.support import program, secrets


def _caught(action) -> list[str]:  # type: ignore[no-untyped-def]
    """What the watch noted during ``action``, taken back out so the run stays green."""
    before = len(secrets.LEAKS)
    action()
    found = secrets.LEAKS[before:]
    del secrets.LEAKS[before:]
    return found


def test_a_secret_in_a_message_fields_or_traceback_is_seen() -> None:
    log = logging.getLogger("youthbot.somewhere")

    def leak() -> None:
        log.info("rejected: %s", TOKEN)
        log.info("sent", extra={"fields": {"auth": AUTH_TOKEN}})
        try:
            raise RuntimeError(f"salt {secrets.LOG_SALT}")
        except RuntimeError:
            log.warning("failed", exc_info=True)

    assert [line.split(" in ")[0] for line in _caught(leak)] == [
        "the Bot API token", "the Twilio auth token", "LOG_SALT"]


def test_a_secret_in_a_process_output_is_seen() -> None:
    found = _caught(lambda: program.watch("", f"POST /bot{TOKEN}/getMe\n", ["run"]))
    assert found == [f"the Bot API token in the stderr of `youthbot run`: POST /bot{TOKEN}/getMe"]
