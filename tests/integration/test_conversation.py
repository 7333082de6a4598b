"""The engine end to end on a real database: what a young person sees, turn by turn."""

import asyncio
import re

from sqlalchemy import func, select

from bot.bootstrap import Container
from bot.messages import Inbound, Media
from bot.storage.models import (
    Campaign,
    ConversationState,
    MessageLogEntry,
    OutboxMessage,
    User,
)
from reports import reach
from tests.support.conversation import Conversation, ids, labels

MENU_ORDER = ["trainings", "jobs", "business", "migration", "smuggling", "urgent", "human", "girls"]


def page_text(container: Container, page_id: str, locale: str = "sq") -> str:
    return container.content.page(locale, page_id).text.strip()


async def test_first_message_gets_welcome_privacy_notice_and_menu(container: Container) -> None:
    chat = Conversation(container, "ana")
    [reply] = await chat.say("tung")
    t = container.translators["sq"]
    assert t("welcome.text") in reply.text
    assert t("privacy.notice") in reply.text
    assert ids(reply) == [f"page:{p}" for p in MENU_ORDER] + ["lang:en"]
    assert labels(reply)[-1] == "English"


async def test_menu_numbers_open_topics_and_subpages(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [jobs] = await chat.say("2")
    assert page_text(container, "jobs") in jobs.text
    first_sub = container.content.page("sq", "jobs").choices[0]
    [sub] = await chat.say("1")
    assert page_text(container, first_sub) in sub.text
    t = container.translators["sq"]
    gathered = container.content.page("sq", first_sub).last_reviewed
    assert t("page.reviewed", date=t.date(gathered)) in sub.text


async def test_burimet_shows_where_the_page_shown_last_got_its_facts(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    t = container.translators["sq"]
    await chat.say("menu")
    [nothing] = await chat.say("burimet")  # the menu has no sources: says so, shows it again
    assert t("sources.none") in nothing.text
    await chat.say("2")
    [sources] = await chat.say("Burimet")
    jobs = container.content.page("sq", "jobs")
    assert t("sources.header", title=jobs.title) in sources.text
    assert all(str(source.url) in sources.text for source in jobs.sources)
    assert ids(sources) == ["page:jobs", "page:menu"]
    [back] = await chat.say("1")
    assert page_text(container, "jobs") in back.text


async def test_typing_a_choice_label_selects_it(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    title = container.content.page("sq", "business").title
    [reply] = await chat.say(title.upper())
    assert page_text(container, "business") in reply.text


async def test_every_topic_has_content_and_a_way_back(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    for page_id in MENU_ORDER:
        [reply] = await chat.press(f"page:{page_id}")
        assert page_text(container, page_id) in reply.text
        assert reply.choices, page_id
        assert "page:menu" in ids(reply)


async def test_urgent_help_gives_the_emergency_number(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [reply] = await chat.press("page:urgent")
    assert "112" in reply.text and "129" in reply.text


EMERGENCY_NUMBERS = {"112", "129", "127", "116 111", "116 117"}


def numbers_in(text: str) -> set[str]:
    return set(re.findall(r"\b\d{3}(?: \d{3})?\b", text))


async def test_ndihme_alone_shows_the_menu_with_urgent_help_first_and_the_numbers_on_top(
    container: Container,
) -> None:
    for said, address, locale in (("ndihmë", "ana", "sq"), ("Ndihme", "ben", "sq"),
                                  ("/ndihme", "cim", "sq"), ("help", "tom", "en")):
        chat = Conversation(container, address)
        await chat.say("menu" if locale == "sq" else "English")
        [reply] = await chat.say(said)
        first_line = reply.text.splitlines()[0]
        assert numbers_in(first_line) >= EMERGENCY_NUMBERS, said
        # the numbers are the urgent page's own
        assert numbers_in(first_line) <= numbers_in(page_text(container, "urgent", locale))
        assert ids(reply)[0] == "page:urgent", said
        assert set(ids(reply)) >= {f"page:{p}" for p in MENU_ORDER}


async def test_a_first_message_ndihme_gets_the_numbers_before_the_welcome(
    container: Container,
) -> None:
    help_first, welcome = await Conversation(container, "dea").say("ndihme")
    assert numbers_in(help_first.text.splitlines()[0]) >= EMERGENCY_NUMBERS
    assert container.translators["sq"]("welcome.text") in welcome.text


async def test_switching_language_answers_in_english_from_then_on(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [switched] = await chat.press("lang:en")
    assert container.translators["en"]("language.switched") in switched.text
    assert labels(switched)[-1] == "Shqip"
    [jobs] = await chat.say("2")
    assert page_text(container, "jobs", "en") in jobs.text
    [back] = await chat.say("shqip")
    assert container.translators["sq"]("language.switched") in back.text


async def test_a_new_user_may_choose_english_first(container: Container) -> None:
    [reply] = await Conversation(container, "tom").say("English")
    assert container.translators["en"]("welcome.text") in reply.text


async def test_replayed_delivery_is_answered_once(container: Container) -> None:
    chat = Conversation(container, "ana")
    first = await chat.say("menu", delivery_id="update-1")
    again = await chat.say("menu", delivery_id="update-1")
    assert len(first) == 1 and again == []
    async with container.sessions() as session:
        outbox = await session.scalar(select(func.count(OutboxMessage.id)))
    assert outbox == 1


async def test_interleaved_users_never_share_state(container: Container) -> None:
    ana, ben = Conversation(container, "ana"), Conversation(container, "ben")
    await asyncio.gather(ana.say("menu"), ben.say("menu"))
    await asyncio.gather(ana.say("2"), ben.say("3"))
    [ana_sub], [ben_sub] = await asyncio.gather(ana.say("1"), ben.say("1"))
    jobs_first = container.content.page("sq", "jobs").choices[0]
    business_first = container.content.page("sq", "business").choices[0]
    assert page_text(container, jobs_first) in ana_sub.text
    assert page_text(container, business_first) in ben_sub.text


async def test_concurrent_messages_from_one_user_are_handled_in_arrival_order(
    container: Container,
) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    texts = [f"mesazhi {n}" for n in range(8)]
    await asyncio.gather(
        *(container.engine.handle(Inbound(chat.channel, chat.address, text=t)) for t in texts)
    )
    async with container.sessions() as session:
        logged = (
            await session.scalars(
                select(MessageLogEntry.text)
                .where(MessageLogEntry.direction == "in")
                .order_by(MessageLogEntry.id)
            )
        ).all()
        replies = await session.scalar(select(func.count(OutboxMessage.id)))
    assert logged == ["menu", *texts]
    assert replies == 1 + len(texts)


async def test_out_of_range_number_re_offers_the_same_choices(container: Container) -> None:
    chat = Conversation(container, "ana")
    [menu] = await chat.say("menu")
    [reply] = await chat.say("99")
    assert "1" in reply.text and str(len(menu.choices)) in reply.text
    assert reply.choices == menu.choices
    [jobs] = await chat.say("2")
    assert page_text(container, "jobs") in jobs.text


async def test_a_photo_gets_a_polite_answer_and_the_menu(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [reply] = await chat.say("", media=Media.IMAGE)
    assert container.translators["sq"]("media.unsupported") in reply.text
    assert "page:jobs" in ids(reply)


async def test_a_button_from_an_old_message_gets_the_fallback(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [stale] = await chat.press("page:no.such.page")
    assert container.translators["sq"]("fallback.text") in stale.text
    [not_pending] = await chat.press("confirm:yes")
    assert container.translators["sq"]("fallback.text") in not_pending.text
    async with container.sessions() as session:
        assert await session.scalar(select(func.count(User.id))) == 1


async def test_stop_unsubscribes_and_writing_again_resubscribes(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    [stopped] = await chat.say("STOP")
    assert container.translators["sq"]("unsubscribe.done") in stopped.text
    async with container.sessions() as session:
        assert (await session.scalar(select(User))).unsubscribed_at is not None
    await chat.say("menu")
    async with container.sessions() as session:
        assert (await session.scalar(select(User))).unsubscribed_at is None


async def test_first_contact_remembers_a_known_campaign_only(container: Container) -> None:
    async with container.sessions() as session:
        session.add(Campaign(code="poster_kukes", name="Posters in Kukës"))
        await session.commit()
    await Conversation(container, "ana").say("/start", campaign="poster_kukes")
    await Conversation(container, "ben").say("/start", campaign="made_up")
    async with container.sessions() as session:
        users = {u.address: u for u in await session.scalars(select(User))}
        campaign_id = await session.scalar(select(Campaign.id))
    assert users["ana"].first_campaign_id == campaign_id
    assert users["ben"].first_campaign_id is None
    await Conversation(container, "ana").say("/start", campaign="poster_kukes")
    async with container.sessions() as session:
        brought = await reach.campaigns(session)
    assert brought == [reach.CampaignReach("poster_kukes", "Posters in Kukës", 2, 1),
                       reach.CampaignReach(reach.UNKNOWN, "", 1, 0)]


async def test_state_survives_a_new_engine(container: Container) -> None:
    chat = Conversation(container, "ana")
    await chat.say("menu")
    await chat.say("2")
    async with container.sessions() as session:
        state = await session.scalar(select(ConversationState))
    assert state.page == "jobs"
    assert [cid for cid, _ in state.offered] == [
        f"page:{c}" for c in container.content.page("sq", "jobs").choices
    ]
