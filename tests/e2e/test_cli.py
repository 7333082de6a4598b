"""The ``youthbot`` program as a newcomer runs it, in a folder of its own, input piped in."""

import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import update

from bot.config import Settings
from bot.content import load
from bot.i18n import load_translator
from bot.storage.database import create_engine
from bot.storage.models import OutboxMessage
from tests.support import program

SQ = load_translator("sq")


@pytest.fixture(autouse=True)
def _trained_model(nlu_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLU_MODEL_DIR", str(nlu_model_dir))


def youthbot(
    *args: str, stdin: str = "", cwd: Path, database_url: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return program.run(list(args), stdin=stdin, cwd=cwd, env=env)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "somewhere else"
    folder.mkdir()
    return folder


@pytest.fixture
def prepared(database_url: str, workdir: Path) -> str:
    """On PostgreSQL the schema comes from ``youthbot db upgrade``; SQLite migrates by itself."""
    if not database_url.startswith("sqlite"):
        done = youthbot("db", "upgrade", cwd=workdir, database_url=database_url)
        assert done.returncode == 0, done.stderr
    return database_url


def test_menu_then_2_opens_jobs_and_a_second_run_continues(prepared: str, workdir: Path) -> None:
    content = load(Settings(_env_file=None).content_dir, ("sq", "en"))  # type: ignore[call-arg]
    jobs = content.page("sq", "jobs")

    first = youthbot("chat", "--user", "t1", stdin="menu\n2\n", cwd=workdir, database_url=prepared)

    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert SQ("welcome.text") in out
    assert f"2. {jobs.title}" in out
    assert jobs.text.strip() in out
    assert out.index(SQ("welcome.text")) < out.index(jobs.text.strip())
    assert "Traceback" not in first.stderr

    second = youthbot("chat", "--user", "t1", stdin="1\n", cwd=workdir, database_url=prepared)

    assert second.returncode == 0, second.stderr
    assert SQ("welcome.text") not in second.stdout
    assert content.page("sq", jobs.choices[0]).text.strip() in second.stdout


def test_another_user_starts_from_the_welcome(prepared: str, workdir: Path) -> None:
    youthbot("chat", "--user", "t1", stdin="menu\n2\n", cwd=workdir, database_url=prepared)
    other = youthbot("chat", "--user", "t2", stdin="1\n", cwd=workdir, database_url=prepared)
    assert SQ("welcome.text") in other.stdout


def test_lang_en_talks_english(prepared: str, workdir: Path) -> None:
    done = youthbot("chat", "--lang", "en", stdin="hi\n", cwd=workdir, database_url=prepared)
    assert load_translator("en")("welcome.text") in done.stdout


def test_bad_lines_are_each_answered_and_nothing_crashes(prepared: str, workdir: Path) -> None:
    lines = ["menu", "a" * 50_000, "😂🔥", "\u200b\u200d", "x\x00y", "'; DROP TABLE users;--",
             "999", "/foobar", "2"]
    done = youthbot("chat", stdin="\n".join(lines) + "\n", cwd=workdir, database_url=prepared)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    fallback = SQ("fallback.text")
    assert done.stdout.count(fallback) == 6
    content = load(Settings(_env_file=None).content_dir, ("sq", "en"))  # type: ignore[call-arg]
    offered = len(content.page("sq", "menu").choices) + 1  # the topics and the language
    assert SQ("choice.out_of_range", count=offered) in done.stdout
    assert content.page("sq", "jobs").text.strip() in done.stdout.split(fallback)[-1]


def test_sqlite_file_is_created_where_the_settings_say(workdir: Path, tmp_path: Path) -> None:
    target = tmp_path / "data" / "bot.db"
    done = youthbot("chat", stdin="menu\n", cwd=workdir,
                    database_url=f"sqlite+aiosqlite:///{target}")
    assert done.returncode == 0, done.stderr
    assert target.exists()
    assert not any(workdir.iterdir())


def test_content_check_passes_on_the_shipped_content(workdir: Path) -> None:
    done = youthbot("content", "check", cwd=workdir, database_url="sqlite+aiosqlite:///unused.db")
    assert done.returncode == 0, done.stderr


def test_nlu_parse_prints_rasa_shaped_json(workdir: Path) -> None:
    import json

    done = youthbot("nlu", "parse", "du me shku me pun n'Gjermani", cwd=workdir,
                    database_url="sqlite+aiosqlite:///unused.db")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["intent"]["name"] == "legal_migration"
    assert {"entity": "country", "value": "DE"}.items() <= answer["entities"][0].items()
    assert answer["text"] == "du me shku me pun n'Gjermani"
    assert len(answer["intent_ranking"]) == 10


def test_nlu_test_writes_an_intent_report(workdir: Path, tmp_path: Path) -> None:
    import json

    from nlu.embedded import DATA_DIR

    report = tmp_path / "out" / "intent_report.json"
    done = youthbot("nlu", "test", str(DATA_DIR / "test.yml"), "--report", str(report),
                    cwd=workdir, database_url="sqlite+aiosqlite:///unused.db")
    assert done.returncode == 0, done.stderr
    assert "macro-F1" in done.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {"accuracy", "macro avg", "weighted avg", "misclassified", "urgent_help"} <= data.keys()
    assert "entity micro-F1" in done.stdout
    entities = data["entities"]
    assert {"micro avg", "country", "municipality", "sector"} <= entities.keys()
    for scores in (entities["micro avg"], entities["country"]):
        assert {"precision", "recall", "f1-score", "support"} <= scores.keys()
        assert scores["support"] > 0


def test_campaign_create_prints_the_link_writes_a_qr_and_lists_starts(
    prepared: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "kukes_youth_bot")
    monkeypatch.setenv("TWILIO_WHATSAPP_NUMBER", "whatsapp:+14155238886")
    made = youthbot("campaign", "create", "Postera Krumë 2026", cwd=workdir,
                    database_url=prepared)
    assert made.returncode == 0, made.stderr
    assert "https://t.me/kukes_youth_bot?start=postera_krume_2026" in made.stdout
    greeting = quote(SQ("campaign.whatsapp_greeting"))
    assert (f"https://wa.me/14155238886?text={greeting}%20%28ref%3A%20postera_krume_2026%29"
            in made.stdout)
    for png in ("campaign-postera_krume_2026.png", "campaign-postera_krume_2026-whatsapp.png"):
        assert (workdir / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = youthbot("campaign", "create", "x", "--code", "postera_krume_2026", cwd=workdir,
                     database_url=prepared)
    assert again.returncode != 0
    listed = youthbot("campaign", "list", cwd=workdir, database_url=prepared)
    assert "postera_krume_2026" in listed.stdout and "Postera Krumë 2026" in listed.stdout


async def test_outbox_problems_lists_what_waits_and_why(prepared: str, workdir: Path) -> None:
    chatted = youthbot("chat", "--user", "t1", stdin="menu\n", cwd=workdir, database_url=prepared)
    assert chatted.returncode == 0, chatted.stderr
    engine = create_engine(prepared)
    async with engine.begin() as connection:
        await connection.execute(update(OutboxMessage).values(
            held_reason="window_closed:no_template", sent_at=None))
    await engine.dispose()

    listed = youthbot("outbox", "problems", cwd=workdir, database_url=prepared)

    assert listed.returncode == 0, listed.stderr
    [header, row] = listed.stdout.splitlines()
    assert "waiting because" in header
    assert "console" in row and "window_closed:no_template" in row
    assert SQ("welcome.text")[:20] not in listed.stdout  # no message text, no address


async def test_referrals_list_show_and_export_for_donors(
    prepared: str, workdir: Path, tmp_path: Path
) -> None:
    import csv
    from datetime import UTC, datetime, timedelta

    from bot.staff import accounts
    from bot.storage import migrate
    from bot.storage.database import session_factory
    from bot.storage.unit_of_work import UnitOfWork
    from referrals.queue import ReferralQueue

    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    times = iter([start, start + timedelta(minutes=12), start + timedelta(minutes=30),
                  start + timedelta(hours=2)])
    engine = create_engine(prepared)
    await migrate.upgrade(engine)
    async with UnitOfWork(session_factory(engine)) as uow:
        queue = ReferralQueue(uow.referrals, lambda: next(times))
        member = await accounts.add_member(uow, email="tana@example.org", name="Tana",
                                           role_name="caseworker", password="not used here")
        referral = await queue.create(
            user_id=None, channel="whatsapp", topic="trainings", priority="high",
            municipality="Kukës", age_band="18-24", gender="f", contact="+355691234567",
            summary="=HYPERLINK(secret)", answers={"school": "finished"})
        await queue.claim(referral.id, member.id)
        await queue.record_answer(referral.id, member.id)
        await queue.close(referral.id, member.id, "enrolled_training", partner="=Qendra VET")
        await uow.commit()
        rid = str(referral.id)
    await engine.dispose()
    report = tmp_path / "out" / "referrals.csv"

    exported = youthbot("referrals", "export", "--since", "2026-11-01", "--out", str(report),
                        cwd=workdir, database_url=prepared)
    listed = youthbot("referrals", "list", "--status", "closed", cwd=workdir,
                      database_url=prepared)
    shown = youthbot("referrals", "show", rid, cwd=workdir, database_url=prepared)
    later = youthbot("referrals", "export", "--since", "2026-11-21", cwd=workdir,
                     database_url=prepared)

    assert exported.returncode == 0, exported.stderr
    with report.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == [
        "id", "created_at", "channel", "topic", "priority", "status", "outcome", "partner",
        "municipality", "age_band", "gender", "minutes_to_claim", "minutes_to_first_answer"]
    assert rows == [{
        "id": rid, "created_at": "2026-11-20T08:00:00+00:00", "channel": "whatsapp",
        "topic": "trainings", "priority": "high", "status": "closed",
        "outcome": "enrolled_training", "partner": "'=Qendra VET", "municipality": "Kukës",
        "age_band": "18-24", "gender": "f", "minutes_to_claim": "12.0",
        "minutes_to_first_answer": "30.0"}]
    assert "+355691234567" not in report.read_text(encoding="utf-8")
    assert later.returncode == 0 and later.stdout.splitlines()[1:] == []
    assert listed.returncode == 0, listed.stderr
    [header, row] = listed.stdout.splitlines()
    assert header.split() == ["id", "created", "priority", "topic", "status", "claimed_by"]
    assert "trainings" in row and "Tana" in row and "Kukës" not in row
    assert shown.returncode == 0, shown.stderr
    assert "+355691234567" in shown.stdout  # staff see everything of one referral
    audit = shown.stdout.split("audit:")[1].split()
    assert [w for w in audit if w in {"created", "claimed", "answered", "closed"}] == [
        "created", "claimed", "answered", "closed"]
    assert audit.count("Tana") == 3  # the audit names staff members, not ids
    missing = youthbot("referrals", "show", "999", cwd=workdir, database_url=prepared)
    assert missing.returncode == 1 and "no referral 999" in missing.stderr
