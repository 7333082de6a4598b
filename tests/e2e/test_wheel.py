"""The built wheel carries everything the program reads, and works outside a checkout.

The wheel is built once (about 2 s) and installed, without its dependencies, into a fresh
virtual environment that borrows the test environment's site-packages for them; the program is
then run from a folder that has nothing of the checkout.
"""

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA_FOLDERS = {  # source folder -> where the wheel carries it
    "content": "bot/_content",
    "bot/locale": "bot/locale",
    "bot/storage/migrations": "bot/storage/migrations",
    "bot/web/templates": "bot/web/templates",
    "bot/web/static": "bot/web/static",
    "nlu/data": "nlu/data",
    "nlu/rasa": "nlu/rasa",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(out), "--no-deps", "-q"],
        check=True, capture_output=True, timeout=120,
    )
    (built,) = out.glob("youthbot-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel in it; its dependencies come from this environment."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "-q", str(wheel)],
        check=True, capture_output=True, timeout=120,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # A plain path line: this environment's packages, without running its .pth files (which
    # would put the checkout, through the editable install, in front of the wheel).
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def source_files() -> set[str]:
    found = set()
    for folder, packaged in DATA_FOLDERS.items():
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                found.add(f"{packaged}/{path.relative_to(ROOT / folder).as_posix()}")
    return found


def test_every_content_catalog_migration_and_nlu_file_is_in_the_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    missing = source_files() - names

    assert not missing, f"not in the wheel: {sorted(missing)}"
    assert "nlu/gazetteers.yml" in names


def test_the_installed_program_works_from_a_folder_with_no_checkout(
    installed: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CONTENT_"))},
        "DATABASE_URL": f"sqlite+aiosqlite:///{elsewhere / 'bot.db'}",
        "NLU_MODEL_DIR": str(tmp_path / "model"),
    }

    def youthbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(installed / "bin" / "youthbot"), *args], cwd=elsewhere, env=env, input=stdin,
            capture_output=True, text=True, timeout=120, check=False,
        )

    where = subprocess.run(
        [installed / "bin" / "python", "-c", "import bot.paths as p; print(p.CONTENT_DIR)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert where.startswith(str(installed)), where

    checked = youthbot("content", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    upgraded = youthbot("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    trained = youthbot("nlu", "train")
    assert trained.returncode == 0, trained.stderr
    assert (tmp_path / "model").is_dir()

    chat = youthbot("chat", "--user", "w1", "--lang", "en", stdin="menu\n")

    assert chat.returncode == 0, chat.stderr
    assert "Jobs" in chat.stdout
