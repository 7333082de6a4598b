"""The scheduler runs each job at once when it starts leading, then every ``every`` seconds;
a job that fails is logged and does not stop the others; a round that wrote something wakes
the senders."""

import asyncio

import pytest

from bot.scheduler import Job, Scheduler


async def test_jobs_run_at_once_then_on_time_and_a_failing_one_stops_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds: list[str] = []
    woken: list[int] = []

    async def broken() -> int:
        rounds.append("broken")
        raise RuntimeError("the database is away")

    async def writes() -> int:
        rounds.append("writes")
        return 2

    async def idle() -> int:
        rounds.append("idle")
        return 0

    scheduler = Scheduler([Job("broken", 0.05, broken), Job("writes", 0.05, writes),
                           Job("idle", 3600, idle)], lambda: woken.append(1))
    running = asyncio.create_task(scheduler.run())
    try:
        await asyncio.wait_for(_until(lambda: rounds.count("writes") >= 3), 20)
    finally:
        running.cancel()
    assert rounds[:3] == ["broken", "writes", "idle"]  # all at once, in order
    assert rounds.count("idle") == 1 and rounds.count("broken") >= 2
    assert len(woken) == rounds.count("writes")
    assert {r.message for r in caplog.records if r.levelname == "ERROR"} == {"job failed"}


async def _until(done) -> None:  # type: ignore[no-untyped-def]
    while not done():
        await asyncio.sleep(0.01)
