"""A quarter's figures do not change when young people of it delete their data later: what the
reports counted of them is kept as counts first (``reports.kept``), and nothing that names them
stays. On the real engine ("fshi", "po") and both databases."""

from typing import Any

from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.storage.kept_counts import KeptCount
from bot.storage.models import User
from bot.storage.profiles import UserProfile
from reports.profiles import profiles
from reports.summary import summary
from tests.support.conversation import Conversation
from tests.support.quarter import GENERATED, PEOPLE, Q3, seed

ERASED = (0, 5, 8, 12, 14, 16, 22)
"""By their place in the seeded quarter: a Kukës poster's positive outcome and its "no answer",
one who only talked, a Has TikTok's positive outcome, its open urgent case (withdrawn by the
erasure), one who only talked on WhatsApp, one who came by no campaign."""
PROFILED = {0: ("answered", "kukes", "18_24", "female"), 8: ("declined", None, None, None),
            12: ("answered", "has", None, "male"), 3: ("answered", "kukes", "18_24", "male")}


async def _figures(container: Container) -> tuple[dict[str, Any], Any]:
    async with container.sessions() as session:
        return ((await summary(session, Q3, GENERATED, None)).as_json(),
                await profiles(session, Q3))


async def test_a_quarter_reads_the_same_after_some_of_its_people_delete_their_data(
    container: Container,
) -> None:
    async with container.sessions() as session:
        await seed(session)
        users = {user.address: user for user in (await session.scalars(select(User))).all()}
        for number, (status, *bands) in PROFILED.items():
            session.add(UserProfile(user_id=users[f"q3-{number}"].id, status=status,
                                    municipality=bands[0], age_band=bands[1], gender=bands[2]))
        await session.commit()
    before, before_profiles = await _figures(container)

    for number in ERASED:
        chat = Conversation(container, f"q3-{number}", channel=PEOPLE[number].channel)
        await chat.say("fshi")
        [done] = await chat.say("po")
        assert done.text == container.translators[PEOPLE[number].locale]("delete.done")

    after, after_profiles = await _figures(container)
    async with container.sessions() as session:
        left = set((await session.scalars(select(User.address))).all())
        kept_rows = (await session.scalars(select(KeptCount))).all()
    assert not left & {f"q3-{number}" for number in ERASED}  # they are gone
    assert after_profiles == before_profiles
    moved = {"contacted": -1, "withdrawn": +1}  # the open urgent case was withdrawn
    statuses = before["referrals"].pop("by_status"), after["referrals"].pop("by_status")
    assert {key: statuses[1].get(key, 0) - statuses[0].get(key, 0)
            for key in set(statuses[0]) | set(statuses[1])
            if statuses[1].get(key, 0) != statuses[0].get(key, 0)} == moved
    assert after == before
    assert before["new_users"]["total"] == 25 and before["campaign_funnel"][0]["positive"] == 5
    kept_text = repr([(k.figure, k.key) for k in kept_rows])
    assert "q3-" not in kept_text and "+355" not in kept_text
    assert all(k.count >= 1 for k in kept_rows)


async def test_counts_kept_for_one_quarter_stay_out_of_the_next(container: Container) -> None:
    async with container.sessions() as session:
        await seed(session)
    chat = Conversation(container, "q3-0", channel="telegram")
    await chat.say("fshi")
    await chat.say("po")
    async with container.sessions() as session:
        following = await summary(session, Q3.__class__.quarter(2026, 4), GENERATED, None)
        total = await session.scalar(select(func.count()).select_from(KeptCount))
    assert total and following.new_users.total == 1  # the seeded one of 1 October, not q3-0
    assert following.referrals.by_municipality == {"kukes": 1}
