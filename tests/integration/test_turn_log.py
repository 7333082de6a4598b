"""One structured log line per turn, with no message text, name or address in any log."""

import io
import json
import logging

import pytest

from bot import logs
from bot.bootstrap import Container
from bot.logs import JsonFormatter
from tests.support.conversation import Conversation

PRIVATE = "Quhem Drita Hoxha, tel 0691234567"
ADDRESS = "whatsapp:+355691234567"


@pytest.fixture
def json_logs():  # type: ignore[no-untyped-def]
    """The commands' real log set-up (at DEBUG, the chattiest), read back as JSON lines."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    logs.setup("DEBUG", stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.handlers[:], root.level = saved


async def test_each_turn_logs_route_latency_and_a_pseudonym_only(
    container: Container, json_logs  # type: ignore[no-untyped-def]
) -> None:
    chat = Conversation(container, ADDRESS)
    await chat.say("menu")
    await chat.say(PRIVATE)

    lines = json_logs()
    turns = [line for line in lines if line["event"] == "turn"]
    assert [line["route"] for line in turns] == ["welcome", "fallback"]
    assert all(line["channel"] == "test" and len(line["user"]) == 12 for line in turns)
    assert turns[0]["user"] == turns[1]["user"]
    assert all(isinstance(line["latency_ms"], float) for line in turns)
    everything = json.dumps(lines, ensure_ascii=False)
    for secret in ("Drita", "0691234567", "+355691234567"):
        assert secret not in everything


async def test_a_failing_turn_is_logged_loudly_and_answered_with_an_apology(
    container: Container, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import handlers

    async def broken(_turn: object) -> list[object]:
        raise RuntimeError("bug in a handler")

    monkeypatch.setitem(handlers.HANDLERS, "fallback", broken)
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [reply] = await chat.say("diçka", delivery_id="d-1")
    assert reply.text == container.translators["sq"]("error.generic")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "RuntimeError" in JsonFormatter().format(errors[0])
    assert await chat.say("diçka", delivery_id="d-1") == []
