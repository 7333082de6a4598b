"""The staff group on Telegram: Claim buttons, commands, and replies that answer a young person.

Rendering and reading Telegram only: what staff may do, and what it changes, is the staff
desk's. A message in the staff group is a command; a message in a referral's forum topic or a
reply to one of the bot's messages about a referral is relayed to its young person; anything
else is staff talking among themselves.
"""

import asyncio
import logging
from contextlib import suppress

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.delivery import ChannelOutbox
from bot.staff import CLAIM_CHOICE, StaffDesk

log = logging.getLogger("youthbot.telegram")

REALERT_EVERY = 60.0
"""Seconds between looks for referrals nobody has claimed in time."""


async def staff_message(
    desk: StaffDesk, staff_id: str, text: str, replied: Message | None, thread: str | None,
) -> None:
    """A message in the staff group: a command; a message in a referral's forum topic or a
    reply to one of the bot's messages about a referral (relayed to its young person).
    Anything else is staff talking among themselves. The bot answers where it was asked."""
    command, _, rest = text.strip().partition(" ")
    command = command.split("@")[0].lower()
    args = rest.split()
    if command == "/queue":
        await desk.queue(staff_id, thread)
    elif command == "/close":
        number = args[0].lstrip("#") if args else ""
        await desk.close(staff_id, int(number) if number.isdigit() else 0,
                         args[1] if len(args) > 1 else "", " ".join(args[2:]) or None, thread)
    elif command == "/note" and args and args[0].lstrip("#").isdigit():
        await desk.note(staff_id, int(args[0].lstrip("#")),
                        rest.split(None, 1)[1] if len(args) > 1 else "", thread)
    elif not command.startswith("/"):
        referral = await _referral_written_to(desk, replied, thread)
        if referral is not None:
            await desk.answer(staff_id, referral, text, thread)
        elif replied is not None and desk.is_staff(staff_id) and _from_bot(replied):
            await desk.refuse_reply()


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
        self._realerts: asyncio.Task[None] | None = None
        self._staff_forum: bool | None = None
        """Whether the staff group has topics (asked once)."""

    def start(self) -> None:
        self._realerts = asyncio.create_task(self._realert_forever())

    async def stop(self) -> None:
        if self._realerts is not None:
            self._realerts.cancel()
            with suppress(asyncio.CancelledError):
                await self._realerts

    def in_staff_chat(self, update: Update) -> bool:
        chat, staff = update.effective_chat, self.desk.chat
        return chat is not None and staff is not None and str(chat.id) == staff.address

    async def handle(self, update: Update) -> None:
        """The staff group: Claim buttons, /queue /close /note, and replies that answer the
        young person. The desk checks that whoever acts is staff."""
        desk = self.desk
        if (query := update.callback_query) is not None:
            answer = None
            claimed = (query.data or "").removeprefix(CLAIM_CHOICE)
            if claimed.isdigit() and query.data != claimed:
                staff_id = str(query.from_user.id)
                claim = await desk.claim(staff_id, int(claimed), query.from_user.first_name)
                answer = claim.text
                if claim.fresh:
                    await self._open_topic(int(claimed), query.from_user.first_name)
            with suppress(TelegramError):
                await query.answer(answer)
        elif (message := update.message) is not None and message.text and message.from_user:
            thread = str(message.message_thread_id) if message.is_topic_message else None
            await staff_message(desk, str(message.from_user.id), message.text,
                                message.reply_to_message, thread)
        self.outbox.sweep_soon()

    async def _open_topic(self, referral_id: int, staff_name: str) -> None:
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
        await desk.open_thread(referral_id, str(topic.message_thread_id), staff_name)

    async def _realert_forever(self) -> None:
        """Alert staff again, every minute, about referrals nobody has claimed in time."""
        while True:
            await asyncio.sleep(REALERT_EVERY)
            try:
                if await self.desk.realert():
                    self.outbox.sweep_soon()
            except Exception:
                log.exception("re-alert failed")
