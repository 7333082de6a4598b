"""Deleting one's data: referrals withdrawn and erased (``referrals.erasure``), on the real
databases; and referrals written before the queue's migration survive it."""

from sqlalchemy import bindparam, select, text

from bot.bootstrap import Container
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import Referral, UTCDateTime
from referrals.queue import ReferralQueue
from tests.support.conversation import Conversation
from tests.support.members import caseworkers
from tests.support.referrals import PERSONAL, SECRETS, T0, events, stored


async def test_deleting_my_data_withdraws_my_referrals_and_erases_what_they_said(
    container: Container,
) -> None:
    staff = await caseworkers(container, "Vera", "Olsi")
    vera = staff["Vera"]
    arta, other = Conversation(container, "arta"), Conversation(container, "other")
    await arta.say("menu")
    await other.say("menu")
    async with container.unit_of_work() as uow:
        arta_id = (await uow.users.get("test", "arta")).id  # type: ignore[union-attr]
        other_id = (await uow.users.get("test", "other")).id  # type: ignore[union-attr]
        queue = ReferralQueue(uow.referrals)
        open_one = await queue.create(user_id=arta_id, channel="test", topic="smuggling",
                                      priority="urgent", **PERSONAL)
        done = await queue.create(user_id=arta_id, channel="test", topic="jobs", **PERSONAL)
        kept = await queue.create(user_id=other_id, channel="test", topic="jobs", **PERSONAL)
        await queue.claim(open_one.id, vera)
        await queue.note(open_one.id, vera, "Arta said +355691234567 is her mother's phone")
        await queue.claim(done.id, vera)
        await queue.close(done.id, vera, "job_interview", partner="Puna Kukës")
        await uow.commit()

    await arta.say("fshi")
    await arta.say("po")

    withdrawn, closed = (await stored(container, open_one.id),
                         await stored(container, done.id))
    assert (withdrawn.status, closed.status, closed.outcome) == (
        "withdrawn", "closed", "job_interview")
    for referral in (withdrawn, closed):
        assert referral.user_id is None
        assert [getattr(referral, name) for name in PERSONAL] == [None] * 5 + [{}]
    trail = await events(container, open_one.id) + await events(container, done.id)
    assert not any(secret in str(trail) for secret in SECRETS)
    assert [kind for kind, *_ in await events(container, open_one.id)][-1] == "withdrawn"
    assert [kind for kind, *_ in await events(container, done.id)][-1] == "erased"
    untouched = await stored(container, kept.id)
    assert (untouched.status, untouched.contact) == ("new", PERSONAL["contact"])

    async with container.unit_of_work() as uow:  # claiming it later: lost, nobody holds it
        result = await ReferralQueue(uow.referrals).claim(open_one.id, staff["Olsi"])
        assert (result.won, result.holder, result.status) == (False, vera, "withdrawn")


async def test_withdraw_for_user_through_the_queue(container: Container) -> None:
    dea = (await caseworkers(container, "Dea"))["Dea"]
    async with container.unit_of_work() as uow:
        user, _ = await uow.users.get_or_create_locked("test", "besa", "sq")
        queue = ReferralQueue(uow.referrals)
        referral = await queue.create(user_id=user.id, channel="test", topic="jobs", **PERSONAL)
        bare = await queue.create(user_id=user.id, channel="test", topic="jobs")
        await queue.claim(bare.id, dea)
        await queue.note(bare.id, dea, "her brother Dritan called for her")
        await queue.close(bare.id, dea, "declined")
        await uow.commit()
    async with container.unit_of_work() as uow:
        queue = ReferralQueue(uow.referrals)
        assert [r.id for r in await queue.withdraw_for_user(user.id)] == [referral.id]
        assert await queue.withdraw_for_user(user.id) == []  # twice: nothing more happens
        await uow.commit()
    assert (await stored(container, referral.id)).contact is None
    assert [kind for kind, *_ in await events(container, referral.id)] == [
        "created", "withdrawn"]
    bare_trail = await events(container, bare.id)
    assert [kind for kind, *_ in bare_trail] == ["created", "claimed", "noted", "closed", "erased"]
    assert "Dritan" not in str(bare_trail)


async def test_referrals_from_before_the_queue_survive_its_migration(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0004")
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO referrals (topic, priority, status, created_at, updated_at) "
                "VALUES ('jobs', 'normal', 'new', :at, :at)"
            ).bindparams(bindparam("at", type_=UTCDateTime())), {"at": T0})
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            row = (await connection.execute(
                select(Referral.channel, Referral.answers, Referral.alerts))).one()
        assert tuple(row) == ("", {}, 0)
    finally:
        await engine.dispose()
