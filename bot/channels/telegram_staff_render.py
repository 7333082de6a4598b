"""The staff actions' results as the Telegram staff group shows them: the answer to a command
(in the chat or topic it was typed in) or to a pressed button. Results whose news every staff
member sees already (a claim, a hand-over, a closing: the staff side's notices) get no answer
of their own. Texts come from the catalogs, codes shown as labels."""

from bot.i18n import N_, Translator
from bot.messages import Choice, Outbound
from bot.staff import results as r
from bot.staff.labels import DASH, label

CLOSE_CHOICE = "staff:close:"
"""A button to close a referral with an outcome: ``staff:close:<id>:<outcome>``."""


def close_choice(referral_id: int, outcome: str) -> str:
    return f"{CLOSE_CHOICE}{referral_id}:{outcome}"


def parse_close_choice(data: str) -> tuple[int, str] | None:
    number, _, outcome = data.removeprefix(CLOSE_CHOICE).partition(":")
    if not data.startswith(CLOSE_CHOICE) or not number.isdigit() or not outcome:
        return None
    return int(number), outcome


def reply(t: Translator, result: object, thread: str | None) -> Outbound | None:
    """What the group is told after a command (None: nothing, e.g. to someone not staff)."""
    if isinstance(result, r.NotAllowed) and not result.member:
        return None  # a stranger's command: refused and logged, nothing said
    if isinstance(result, r.NeedsOutcome):
        choices = tuple(Choice(close_choice(result.referral_id, code), label(t, "outcome", code))
                        for code in result.outcomes)
        return Outbound(t("staff.close.pick", id=result.referral_id), choices, thread)
    if isinstance(result, r.Queue):
        lines = [t("staff.queue.line", id=item.referral_id,
                   priority=label(t, "priority", item.priority),
                   topic=label(t, "topic", item.topic), status=label(t, "status", item.status),
                   holder=item.holder or DASH)
                 + (f" · {item.opportunity}" if item.opportunity else "")
                 for item in result.items]
        return Outbound("\n".join(lines) or t("staff.queue.empty"), (), thread)
    text = answer(t, result)
    return Outbound(text, (), thread) if text is not None else None


def answer(t: Translator, result: object) -> str | None:
    """A result in one line: for a pressed button's answer, or after a command."""
    match result:
        case r.NotAllowed(member):
            return t("staff.not_permitted") if member else t("staff.not_staff")
        case r.NotFound(referral_id):
            return t("staff.unknown", id=referral_id)
        case r.NotOpen(referral_id, status):
            return t("staff.not_open", id=referral_id, status=label(t, "status", status))
        case r.NeedsText(referral_id):
            return t("staff.needs_text", id=referral_id)
        case r.Claimed(referral_id, holder):
            return t("staff.claim.won", id=referral_id, staff=holder)
        case r.AlreadyHeld(referral_id, holder):
            return t("staff.claim.lost", id=referral_id, holder=holder)
        case r.NotClaimed(referral_id):
            return t("staff.not_claimed", id=referral_id)
        case r.NoSuchMember(name, several):
            key = N_("staff.reassign.several") if several else N_("staff.reassign.unknown")
            return t(key, name=name)
        case r.UserGone(referral_id):
            return t("staff.user_gone", id=referral_id)
        case r.Noted(referral_id):
            return t("staff.noted", id=referral_id)
        case r.Closed(referral_id, outcome):
            return t("staff.closed.short", id=referral_id, outcome=label(t, "outcome", outcome))
    return None  # Unclaimed, Reassigned, Answered: the notices and the relay say it all
