"""The database: can we reach it, is its schema at the migrations' head, are there staff?"""

import asyncio

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.doctor.checks import Check, check_failed, check_passed
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import StaffMember

TIMEOUT = 10.0
UPGRADE = "youthbot db upgrade"


async def database_checks(settings: Settings) -> list[Check]:
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    database = create_engine(settings.database_url)
    try:
        try:
            await asyncio.wait_for(_ping(database), TIMEOUT)
        except Exception as error:  # any driver's failure is the operator's to read
            first_line = (str(error).strip().splitlines() or [""])[0][:200]
            return [check_failed("database", f"cannot connect to {shown}: "
                           f"{type(error).__name__} {first_line}".rstrip(),
                           "check DATABASE_URL, and that the database server runs")]
        checks = [check_passed("database", f"reachable ({shown})")]
        schema = await _schema(database)
        checks.append(schema)
        if schema.state == "ok":
            checks.append(await _staff(database, settings))
        return checks
    finally:
        await database.dispose()


async def _ping(database: AsyncEngine) -> None:
    async with database.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _schema(database: AsyncEngine) -> Check:
    current, head = await migrate.current_revision(database), migrate.head_revision()
    if current == head:
        return check_passed("schema", f"at the migrations' head ({head})")
    if current is None:
        return check_failed("schema", "never migrated: every turn would fail", f"run `{UPGRADE}`")
    return check_failed("schema", f"at {current}, the code needs {head}", f"run `{UPGRADE}`")


async def _staff(database: AsyncEngine, settings: Settings) -> Check:
    async with database.connect() as connection:
        members = (await connection.execute(
            select(func.count()).select_from(StaffMember).where(StaffMember.active))).scalar_one()
    pending = len(settings.staff_user_ids)
    if members:
        return check_passed("staff", f"{members} active member(s)")
    if pending:
        return check_passed("staff", f"{pending} caseworker(s) from TELEGRAM_STAFF_USER_IDS, "
                               "added when the service starts")
    return check_failed("staff", "nobody on the staff side: referrals would reach no one",
                  "youthbot staff add EMAIL --name NAME --role caseworker --telegram-id ID, "
                  "or set TELEGRAM_STAFF_USER_IDS")
