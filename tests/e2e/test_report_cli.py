"""``youthbot report``: a period's figures as JSON, from the read side, in a folder of its own."""

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.models import Referral
from tests.support import program


def youthbot(*args: str, cwd: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    return program.run(list(args), cwd=cwd, env={**os.environ, "DATABASE_URL": database_url})


async def test_report_writes_the_quarters_figures_as_json(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    async with session_factory(engine)() as session:
        for (month, day), status in (((1, 5), "closed"), ((1, 31), "new"), ((2, 1), "new")):
            at = datetime(2026, month, day, 12, 0, tzinfo=UTC)
            session.add(Referral(topic="jobs", priority="normal", channel="telegram",
                                 status=status, created_at=at, updated_at=at,
                                 contact="+355691234567"))
        await session.commit()
    await engine.dispose()
    out = tmp_path / "out" / "q1.json"

    done = youthbot("report", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out),
                    cwd=tmp_path, database_url=database_url)
    printed = youthbot("report", cwd=tmp_path, database_url=database_url)
    backwards = youthbot("report", "--from", "2026-02-01", "--to", "2026-01-01", cwd=tmp_path,
                         database_url=database_url)

    assert done.returncode == 0, done.stderr
    assert "2026-01-01 – 2026-01-31" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["period"] == {"from": "2026-01-01", "to": "2026-01-31"}
    assert data["referrals"]["total"] == 2
    assert data["referrals"]["by_status"] == {"closed": 1, "new": 1}
    assert [row["priority"] for row in data["timings"]] == ["urgent", "high", "normal"]
    assert "+355691234567" not in out.read_text(encoding="utf-8")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["referrals"]["total"] == 3
    assert backwards.returncode != 0 and "before it starts" in backwards.stderr
