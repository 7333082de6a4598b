"""Subscribing to alerts in one's own words or by a button, listing and removing them;
``stop`` and erasure end them. The phrasings below were written apart from the rules that read
them (a hold-out set): Gheg, SMS spelling, no diacritics, English."""

import pytest
from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.storage.alerts import AlertSubscription
from tests.support.conversation import CHANNEL, Conversation, ids

HOLD_OUT = [
    ("Më njofto për kurse të reja në Has", ("training", "", "has")),
    ("me njof per pune ne tropoj", ("job", "", "tropoje")),
    ("njoftom kur ka pune ne hotel ne Bajram Curri", ("job", "hospitality", "tropoje")),
    ("a mund te me njoftosh per praktika ne Kukes?", ("internship", "", "kukes")),
    ("me lajmro kur del ndonje grant per bujqesi ne Krume", ("grant", "agriculture", "has")),
    ("më lajmëro për kurse IT në Kukës", ("training", "ict", "kukes")),
    ("notify me about new jobs in Tropoja", ("job", "", "tropoje")),
    ("let me know when there are IT courses in Kukes", ("training", "ict", "kukes")),
    ("dergom njoftime per pune ne Has", ("job", "", "has")),
    ("njoftome per trajnime ne turizem ne Tropoje", ("training", "tourism", "tropoje")),
    ("me njofto kur ka vende pune ne ndertim ne kukes", ("job", "construction", "kukes")),
    ("subscribe me to grants in Has", ("grant", "", "has")),
]


async def _kept(container: Container, address: str) -> list[tuple[str, str, str]]:
    async with container.unit_of_work() as uow:
        user = await uow.users.get(CHANNEL, address)
        assert user is not None
        return [(s.kind, s.sector, s.municipality) for s in await uow.alerts.of_user(user.id)]


@pytest.mark.parametrize(("text", "wanted"), HOLD_OUT)
async def test_a_wish_in_words_subscribes_at_once(
    container: Container, text: str, wanted: tuple[str, str, str]
) -> None:
    chat = Conversation(container, "ana")
    await chat.say("tung")
    [reply] = await chat.say(text)
    assert "alerts:list" in ids(reply)
    assert await _kept(container, "ana") == [wanted]


async def test_what_is_missing_is_asked_and_a_button_subscribes_too(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("tung")
    [asked] = await chat.say("më njofto kur del punë")
    assert ids(asked)[:3] == ["al:municipality:kukes", "al:municipality:has",
                              "al:municipality:tropoje"]
    [done] = await chat.say("ne Has")
    assert "Punë · Has" in done.text
    [asked] = await chat.press("alerts:sub:training::")  # a button of the opportunities list
    assert ids(asked)[0] == "al:municipality:kukes"  # the kind is given: only where is asked
    await chat.press("al:municipality:any")
    await chat.press("alerts:sub:job:hospitality:tropoje")
    await chat.press("alerts:sub:job:hospitality:tropoje")  # the same wish is kept once
    assert await _kept(container, "ana") == [("job", "", "has"), ("training", "", ""),
                                             ("job", "hospitality", "tropoje")]


async def test_the_list_removes_one_or_all_and_stop_ends_every_one(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("tung")
    await chat.press("alerts:sub:job:hospitality:tropoje")
    await chat.press("alerts:sub:training:ict:kukes")
    await chat.press("alerts:sub:grant::has")
    [listed] = await chat.say("njoftimet")
    assert "Punë · Hoteleri · Tropojë" in listed.text and "STOP" in listed.text
    await chat.press(ids(listed)[0])
    assert await _kept(container, "ana") == [("training", "ict", "kukes"), ("grant", "", "has")]
    await chat.say("stop")
    assert await _kept(container, "ana") == []
    [none] = await chat.say("njoftimet")
    assert ids(none) == ["page:menu"]


async def test_erasing_one_s_data_erases_the_subscriptions(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("tung")
    await chat.press("alerts:sub:job::")
    await chat.press("al:municipality:has")
    await chat.say("fshi")
    await chat.press("confirm:yes")
    async with container.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AlertSubscription)) == 0


async def test_asking_about_job_notices_is_no_wish_for_alerts(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("tung")
    [reply] = await chat.say("a ka njoftime per pune ne Kukes?")
    assert "alerts:list" not in ids(reply)
    async with container.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AlertSubscription)) == 0
