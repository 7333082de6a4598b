"""The staff group on Telegram: Claim and outcome buttons, commands, and replies that answer a
young person.

Reading and rendering Telegram only: who may do what, and what it changes, is the staff side's
(``bot.staff.actions``, which return results; ``telegram_staff_render`` turns them into text).
A message in the staff group is a command; a message in a referral's forum topic or a reply to
one of the bot's messages about a referral is relayed to its young person; anything else is
staff talking among themselves.
"""

import logging
from contextlib import suppress

from telegram import CallbackQuery, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram_staff_render import answer, parse_close_choice, reply
from bot.delivery import ChannelOutbox
from bot.i18n import N_
from bot.messages import Outbound
from bot.staff import CLAIM_CHOICE, StaffDesk
from bot.staff import results as r
from bot.staff.accounts import TelegramUser

log = logging.getLogger("youthbot.telegram")

def _number(word: str) -> int | None:
    word = word.lstrip("#")
    return int(word) if word.isdigit() else None


async def staff_message(
    desk: StaffDesk, who: TelegramUser, text: str, replied: Message | None, thread: str | None,
) -> None:
    """A message in the staff group: a command; a message in a referral's forum topic or a
    reply to one of the bot's messages about a referral (relayed to its young person).
    Anything else is staff talking among themselves. The bot answers where it was asked."""
    command, _, rest = text.strip().partition(" ")
    command = command.split("@")[0].lower()
    if command == "/id":  # set-up: the ids that go in TELEGRAM_STAFF_CHAT_ID and _USER_IDS
        assert desk.chat is not None
        ids = desk.t(N_("staff.id"), chat_id=desk.chat.address, user_id=who.id)
        await desk.tell(Outbound(ids, (), thread))
        return
    if command.startswith("/"):
        result = await _command(desk, who, command, rest)
    elif (referral := await _referral_written_to(desk, replied, thread)) is not None:
        result = await desk.actions.answer(who, referral, text)
    elif replied is not None and _from_bot(replied) and await desk.actions.member(who):
        result = N_("staff.reply_to_a_card")
    else:
        return
    if isinstance(result, str):
        await desk.tell(Outbound(desk.t(result), (), thread))
    elif (said := reply(desk.t, result, thread)) is not None:
        await desk.tell(said)


async def _command(desk: StaffDesk, who: TelegramUser, command: str, rest: str) -> object:
    """A command's result, or the message id of what to say (None: not a staff command)."""
    actions = desk.actions
    words = rest.split()
    rid = _number(words[0]) if words else None
    after_id = rest.split(None, 1)[1].strip() if len(words) > 1 else ""
    if command == "/queue":
        return await actions.queue(who)
    if command not in ("/close", "/note", "/unclaim", "/reassign"):
        return None
    if rid is None or (command == "/reassign" and not after_id):
        return N_("staff.usage") if await actions.member(who) is not None else None
    if command == "/close":
        return await actions.close(who, rid, words[1] if len(words) > 1 else None,
                                   " ".join(words[2:]) or None)
    if command == "/note":
        return await actions.note(who, rid, after_id)
    if command == "/unclaim":
        return await actions.unclaim(who, rid)
    return await actions.reassign(who, rid, after_id)


async def _referral_written_to(
    desk: StaffDesk, replied: Message | None, thread: str | None
) -> int | None:
    """The referral a staff message is for: its forum topic's, or the one of the bot's message
    it replies to."""
    if thread is not None and (referral := await desk.referral_of_thread(thread)) is not None:
        return referral
    if replied is not None and _from_bot(replied):
        return await desk.referral_of(str(replied.message_id))
    return None


def _from_bot(message: Message) -> bool:
    return message.from_user is not None and message.from_user.is_bot


class StaffGroup:
    """The staff group's side of the Telegram channel (only when a staff chat is set up)."""

    def __init__(
        self, application: Application, desk: StaffDesk, outbox: ChannelOutbox,  # type: ignore[type-arg]
    ) -> None:
        assert desk.chat is not None
        self.application = application
        self.desk = desk
        self.outbox = outbox
        self._staff_forum: bool | None = None
        """Whether the staff group has topics (asked once)."""

    def in_staff_chat(self, update: Update) -> bool:
        chat, staff = update.effective_chat, self.desk.chat
        return chat is not None and staff is not None and str(chat.id) == staff.address

    async def handle(self, update: Update) -> None:
        """The staff group: Claim and outcome buttons, the commands, and replies that answer
        the young person. The staff side checks that whoever acts may."""
        if (query := update.callback_query) is not None:
            text = await self._pressed(query)
            with suppress(TelegramError):
                await query.answer(text)
        elif (message := update.message) is not None and message.text and message.from_user:
            thread = str(message.message_thread_id) if message.is_topic_message else None
            who = TelegramUser(message.from_user.id, message.from_user.first_name)
            await staff_message(self.desk, who, message.text, message.reply_to_message, thread)
        self.outbox.sweep_soon()

    async def _pressed(self, query: CallbackQuery) -> str | None:
        """A button in the staff group: Claim, or an outcome to close with."""
        data = query.data or ""
        who = TelegramUser(query.from_user.id, query.from_user.first_name)
        claimed = data.removeprefix(CLAIM_CHOICE)
        if data.startswith(CLAIM_CHOICE) and claimed.isdigit():
            result = await self.desk.actions.claim(who, int(claimed))
            if isinstance(result, r.Claimed) and result.fresh and result.thread is None:
                await self._open_topic(result.referral_id, result.holder)
            return answer(self.desk.t, result)
        if (closing := parse_close_choice(data)) is not None:
            return answer(self.desk.t, await self.desk.actions.close(who, *closing))
        return None

    async def _open_topic(self, referral_id: int, holder: str) -> None:
        """When the staff group has topics, the claimed referral gets one of its own."""
        desk = self.desk
        assert desk.chat is not None
        bot, chat_id = self.application.bot, int(desk.chat.address)
        try:
            if self._staff_forum is None:
                self._staff_forum = bool((await bot.get_chat(chat_id)).is_forum)
            if not self._staff_forum:
                return
            topic = await bot.create_forum_topic(chat_id, f"#{referral_id}")
        except TelegramError as error:
            log.warning("no forum topic", extra={"fields": {"error": type(error).__name__}})
            return
        await desk.open_thread(referral_id, str(topic.message_thread_id), holder)
