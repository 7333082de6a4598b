"""The staff side's periodic work: unclaimed referrals announced again, and reminders when a
claimed referral's young person has had no staff answer for too long (24 hours; 4 if urgent).

Each referral found due is locked and checked again before anything is written, so processes
doing this at the same moment alert or remind about it once.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.staff.accounts import display_name
from bot.staff.notices import Notices
from bot.storage.unit_of_work import UnitOfWork
from referrals import lifecycle
from referrals.queue import ReferralQueue


class Timers:
    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], notices: Notices,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = unit_of_work
        self._notices = notices
        self._clock = clock

    async def realert(self) -> int:
        """Alert staff again about referrals nobody claimed in time; returns how many."""
        if self._notices.chat is None:
            return 0
        async with self._uow() as uow:
            queue = ReferralQueue(uow.referrals, self._clock)
            alerted = 0
            for due in await queue.due_for_realert():
                referral = await queue.realert_if_due(due.id)
                if referral is not None:
                    self._notices.realerted(uow, referral)
                    alerted += 1
            await uow.commit()
        return alerted

    async def remind(self) -> int:
        """Remind the holder of each claimed referral with no staff answer for too long, once
        per such period; returns how many."""
        if self._notices.chat is None:
            return 0
        async with self._uow() as uow:
            queue = ReferralQueue(uow.referrals, self._clock)
            reminded = 0
            for due in await queue.due_for_reminder():
                referral = await queue.remind_if_due(due.id)
                if referral is None:
                    continue
                holder = (await uow.staff.get(referral.claimed_by_id)
                          if referral.claimed_by_id is not None else None)
                wait = lifecycle.REMIND_AFTER[lifecycle.Priority(referral.priority)]
                self._notices.reminder(uow, referral, display_name(holder) if holder else "-",
                                       wait // timedelta(hours=1))
                reminded += 1
            await uow.commit()
        return reminded
