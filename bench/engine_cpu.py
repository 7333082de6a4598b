"""CPU per message of the engine alone (no HTTP, no sending), on a throwaway SQLite database.

    .venv/bin/python bench/engine_cpu.py [--profile]

Builds the bot as ``youthbot chat`` does, warms up with 20 users, then 200 users each send the
webhook bench's five messages (menu, 2, 1, menu, 3) through ``Engine.handle``, and prints the
process CPU time per message; ``--profile`` adds the 35 most expensive calls. Run the same file
against an older checkout to compare two versions of the code on the same machine.
"""

import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/nlu.py is not nlu/

from bot import bootstrap  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.messages import Inbound  # noqa: E402


async def main(profile: bool) -> None:
    d = tempfile.mkdtemp()
    s = Settings(database_url=f"sqlite+aiosqlite:///{d}/b.db", _env_file=None)
    c = await bootstrap.build(s)
    msgs = ["menu", "2", "1", "menu", "3"]
    async def run(n0: int, n: int) -> None:
        for u in range(n0, n0 + n):
            for i, m in enumerate(msgs):
                await c.engine.handle(Inbound("telegram", str(u), text=m, delivery_id=f"{u}-{i}"))
    await run(0, 20)
    pr = cProfile.Profile() if profile else None
    t = time.process_time()
    if pr:
        pr.enable()
    await run(100, 200)
    if pr:
        pr.disable()
    print("cpu ms/msg", round((time.process_time() - t) * 1000 / 1000, 2))
    if pr:
        pstats.Stats(pr).sort_stats("cumulative").print_stats(35)
    await c.close()

asyncio.run(main("--profile" in sys.argv))
