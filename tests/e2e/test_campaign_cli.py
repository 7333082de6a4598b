"""``youthbot campaign create`` and ``show`` as an organiser runs them for a poster: no
campaign without its QR code, no QR code for a link that leads nowhere, links shown again."""

from pathlib import Path

import pytest

from tests.e2e.test_cli import prepared, workdir, youthbot  # noqa: F401 - fixtures

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _bot_username(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "kukes_youth_bot")
    monkeypatch.delenv("TWILIO_WHATSAPP_NUMBER", raising=False)


def test_a_qr_code_that_cannot_be_written_leaves_no_campaign(
    prepared: str, workdir: Path  # noqa: F811
) -> None:
    missing = workdir / "no such folder" / "poster.png"

    failed = youthbot("campaign", "create", "Postera Has", "--qr", str(missing), cwd=workdir,
                      database_url=prepared)

    assert failed.returncode == 1
    [line] = failed.stderr.splitlines()
    assert "cannot write the QR code" in line and "poster.png" in line
    listed = youthbot("campaign", "list", cwd=workdir, database_url=prepared)
    assert "postera_has" not in listed.stdout
    made = youthbot("campaign", "create", "Postera Has", cwd=workdir, database_url=prepared)
    assert made.returncode == 0, made.stderr
    assert (workdir / "campaign-postera_has.png").read_bytes()[:8] == PNG


def test_without_the_bot_username_no_qr_code_is_written(
    prepared: str, workdir: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME")

    made = youthbot("campaign", "create", "Shkolla Tropoje", cwd=workdir, database_url=prepared)

    assert made.returncode == 0, made.stderr
    [line] = made.stderr.splitlines()
    assert "TELEGRAM_BOT_USERNAME" in line
    assert "t.me" not in made.stdout and list(workdir.glob("*.png")) == []
    listed = youthbot("campaign", "list", cwd=workdir, database_url=prepared)
    assert "shkolla_tropoje" in listed.stdout  # the code works once the links exist


def test_show_prints_the_links_again_and_rewrites_the_qr_code(
    prepared: str, workdir: Path  # noqa: F811
) -> None:
    made = youthbot("campaign", "create", "TikTok Kukës", cwd=workdir, database_url=prepared)
    assert made.returncode == 0, made.stderr
    (workdir / "campaign-tiktok_kukes.png").unlink()

    shown = youthbot("campaign", "show", "tiktok_kukes", "--qr", "again.png", cwd=workdir,
                     database_url=prepared)

    assert shown.returncode == 0, shown.stderr
    assert "TikTok Kukës" in shown.stdout
    assert "https://t.me/kukes_youth_bot?start=tiktok_kukes" in shown.stdout
    assert (workdir / "again.png").read_bytes()[:8] == PNG
    unknown = youthbot("campaign", "show", "nope", cwd=workdir, database_url=prepared)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "no campaign nope: see youthbot campaign list"
