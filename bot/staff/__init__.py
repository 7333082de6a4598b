"""The staff side of referrals, as a service.

Staff are members with roles (``accounts``, ``permissions``: one table of who may do what).
``actions`` claim, unclaim, reassign, answer, note, close and list the queue, each returning a
typed result (``results``) that the Telegram group and, later, the web console render their own
way. ``relay`` carries words between the young person and staff; ``notices`` is what the staff
chat sees, and the one way the staff side writes to the outbox, always in the transaction of
the change. ``timers`` re-alerts and reminds. ``desk.StaffDesk`` puts it together.
"""

from bot.staff.desk import StaffDesk
from bot.staff.notices import CLAIM_CHOICE, StaffChat
from bot.staff.relay import FEEDBACK_CHOICE, WITH_STAFF

__all__ = ["CLAIM_CHOICE", "FEEDBACK_CHOICE", "WITH_STAFF", "StaffChat", "StaffDesk"]
