"""Revision 0008: the Telegram ids that held referrals and signed audit lines become staff
members, and the rows point at them; downgrading gives the strings back."""

from datetime import UTC, datetime

from sqlalchemy import bindparam, text

from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import UTCDateTime

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def test_claims_and_audit_lines_point_at_caseworkers_after_0008(database_url: str) -> None:
    engine = create_engine(database_url)
    at = bindparam("at", type_=UTCDateTime())
    try:
        await migrate.upgrade(engine, "0007")
        async with engine.begin() as connection:
            for claimed_by in ("9001", "9001", None, "tg:ana"):
                await connection.execute(text(
                    "INSERT INTO referrals (topic, priority, status, created_at, updated_at, "
                    "channel, answers, alerts, claimed_by, first_answer_at) VALUES ('jobs', "
                    "'normal', 'claimed', :at, :at, 'telegram', '{}', 0, :who, :at)"
                ).bindparams(at), {"at": T0, "who": claimed_by})
            await connection.execute(text(
                "INSERT INTO referral_events (referral_id, kind, staff_id, created_at) "
                "VALUES (1, 'claimed', '9001', :at), (3, 'noted', '9002', :at), "
                "(3, 'created', NULL, :at)").bindparams(at), {"at": T0})
            await connection.execute(text(
                "INSERT INTO outbox (channel, address, text, choices, created_at, attempts, "
                "referral_id) VALUES ('telegram', '-100', 'card', '[]', :at, 0, 1)"
            ).bindparams(at), {"at": T0})
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            members = (await connection.execute(text(
                "SELECT id, name, role, telegram_id, active FROM staff_members ORDER BY id"
            ))).all()
            by_key = {(m.telegram_id, m.name): m.id for m in members}
            assert set(by_key) == {(9001, ""), (9002, ""), (None, "tg:ana")}
            assert {(m.role, bool(m.active)) for m in members} == {("caseworker", True)}
            holders = (await connection.execute(text(
                "SELECT claimed_by_id, last_answer_at IS NOT NULL FROM referrals ORDER BY id"
            ))).all()
            assert [tuple(h) for h in holders] == [
                (by_key[(9001, "")], True), (by_key[(9001, "")], True), (None, True),
                (by_key[(None, "tg:ana")], True)]
            signed = (await connection.execute(text(
                "SELECT staff_member_id FROM referral_events ORDER BY id"))).scalars().all()
            assert signed == [by_key[(9001, "")], by_key[(9002, "")], None]
            assert (await connection.execute(text("SELECT referral_id FROM outbox"))).all() == [
                (1,)]  # a reply to the old card still finds its referral

        await migrate.downgrade(engine, "0007")
        async with engine.connect() as connection:
            back = (await connection.execute(text(
                "SELECT claimed_by FROM referrals ORDER BY id"))).scalars().all()
            authors = (await connection.execute(text(
                "SELECT staff_id FROM referral_events ORDER BY id"))).scalars().all()
        assert back == ["9001", "9001", None, "tg:ana"]
        assert authors == ["9001", "9002", None]
    finally:
        await engine.dispose()
