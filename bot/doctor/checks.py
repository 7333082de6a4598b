"""One line of the doctor's checklist."""

from dataclasses import dataclass
from typing import Literal

State = Literal["ok", "fail", "off"]
MARKS: dict[State, str] = {"ok": "✓", "fail": "✗", "off": "–"}


@dataclass(frozen=True)
class Check:
    name: str
    state: State
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{MARKS[self.state]} {self.name}: {self.detail}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


def check_passed(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def check_failed(name: str, detail: str, fix: str) -> Check:
    return Check(name, "fail", detail, fix)


def check_off(name: str, detail: str) -> Check:
    """Not a problem: a channel left off on purpose, a default fine for a trial."""
    return Check(name, "off", detail)


def check_fix(where: str) -> str:
    """The fix of a settings problem, whose line already says what a right value is."""
    return f"set it {where}"
