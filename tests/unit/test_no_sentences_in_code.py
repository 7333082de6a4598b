"""User-facing text lives in content/ and the catalogs, never in Python code."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "nlu", "opportunities", "referrals", "reports")
ALBANIAN_LETTERS = set("ëçËÇ")
DEVELOPER_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "echo",
                   "BadParameter", "ContentError", "ValueError", "RuntimeError", "Option",
                   "add_typer", "append", "AccountError", "SettingsError", "Unavailable",
                   "FileProblem", "RoleRefused", "text", "Problem"}
"""Calls whose strings are for developers and operators (logs, CLI help, exceptions, SQL); also
every ``check_…`` call, the lines of ``youthbot doctor`` (``bot.doctor``); ``Problem``: what is wrong
in a catalogue file, for the operator who wrote it (``opportunities.validation``)."""
OPERATOR_MODULES = {"settings_check.py", "settings_errors.py", "startup.py",
                    "telegram_start.py", "migrate.py"}
"""Modules that speak only to the operator (settings, start-up, channel states, the schema):
their one-line problems and states are English for the log and stderr, never a chat."""


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))  # attribute docstrings
    return found


def _developer_strings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in DEVELOPER_CALLS or name.startswith("check_"):
                found |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Constant)}
    return found


def looks_like_a_sentence(text: str) -> bool:
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    return bool(ALBANIAN_LETTERS & set(text)) or len(words) >= 4


def sentences_in(path: Path) -> list[str]:
    if path.name in OPERATOR_MODULES:
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = _docstrings(tree) | _developer_strings(tree)
    return [
        f"{path.name}:{node.lineno}: {node.value[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in allowed and looks_like_a_sentence(node.value)
    ]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_user_facing_sentence_in_python(package: str) -> None:
    found = [s for path in sorted((ROOT / package).rglob("*.py")) for s in sentences_in(path)]
    assert found == []


def test_the_scan_catches_sentences_but_not_keys_logs_or_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""A docstring with many words in it."""\n'
        'import logging\n'
        'greeting = "Mirë se erdhe"\n'
        'other = "welcome to the bot today"\n'
        'key = t("welcome.text")\n'
        'logging.getLogger().info("a log line with many words")\n'
    )
    assert [line.split(":")[1] for line in sentences_in(module)] == ["3", "4"]
