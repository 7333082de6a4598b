"""Process and measurement helpers of bench/telegram_webhook.py: CPU per party from /proc,
percentiles, a free port, waiting for the bot to be healthy, stopping it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx


class CpuClock:
    """CPU seconds (user + system) of the bot, the fake, this process and the PostgreSQL
    backends serving the bench's database since :meth:`start`, from /proc (Linux only).

    A backend counts from its start or :meth:`start`, whichever is later, and only while it
    lives (the bot's pool keeps its connections, so hardly any end in between). Other work on
    the machine's PostgreSQL (another checkout's tests) is not counted.
    """

    def __init__(self, bot: int, fake: int, database: str) -> None:
        self._pids = {"bot": bot, "fake Bot API": fake, "load generator": os.getpid()}
        self._title = f" {database} "  # backends are titled "postgres: ... user database ..."
        self._start: dict[int, float] = {}

    @staticmethod
    def available() -> bool:
        return Path("/proc/self/stat").exists()

    def start(self) -> None:
        if not self.available():
            return
        self._start = {pid: _cpu_seconds(pid) for pid in [*self._pids.values(), *self._backends()]}

    def used(self) -> dict[str, float]:
        def since_start(pid: int) -> float:
            return _cpu_seconds(pid) - self._start.get(pid, 0.0)

        return {name: since_start(pid) for name, pid in self._pids.items()} | {
            "PostgreSQL": sum(map(since_start, self._backends()))}

    def _backends(self) -> list[int]:
        return [int(proc.name) for proc in Path("/proc").iterdir()
                if proc.name.isdigit() and self._title in _cmdline(proc)]


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (0 once it is gone)."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def _cmdline(proc: Path) -> str:
    with contextlib.suppress(OSError):
        return (proc / "cmdline").read_bytes().decode(errors="replace")
    return ""


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(url: str, bot: subprocess.Popen[bytes], log: Path,
                       timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline and bot.poll() is None:
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    raise RuntimeError(f"the bot did not become healthy (exit code {bot.poll()}):\n{tail}")


def stop(bot: subprocess.Popen[bytes]) -> None:
    if bot.poll() is None:
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()
