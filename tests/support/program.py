"""The ``youthbot`` program as the e2e tests run it: a process of its own, whose output is
searched for the suite's secrets (:mod:`tests.support.secrets`)."""

import subprocess
import sys
from pathlib import Path

from tests.support import secrets

YOUTHBOT = str(Path(sys.executable).parent / "youthbot")


def run(args: list[str], *, env: dict[str, str], cwd: Path | None = None, stdin: str = "",
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``youthbot ARGS`` to its end; stdout and stderr are checked for secrets."""
    done = subprocess.run([YOUTHBOT, *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout, check=False)
    watch(done.stdout, done.stderr, args)
    return done


def watch(stdout: str, stderr: str, args: list[str]) -> None:
    """The output of a ``youthbot`` process, searched for the suite's secrets."""
    where = f"`youthbot {' '.join(args[:2])}`"
    secrets.check(stderr, f"the stderr of {where}")
    secrets.check(stdout, f"the stdout of {where}")
