"""Content pages with the directory of local services in their slot (``services:`` in content/):
where a page says "go to the employment office", the nearest real office instead, with its
address, phone, hours and link. An empty directory, or none for the page's topic, leaves the
page exactly as it is: nothing is ever made up.

The user's municipality is what this message names ("… n tropoj"); else what the conversation
named on an earlier page with the directory, for a day (kept in the conversation's state, then
forgotten); else what they answered for their latest referral (given with consent).
"""

from datetime import date, timedelta

from bot.content import paragraphs
from bot.i18n import N_
from bot.messages import Outbound
from bot.turn import Turn
from opportunities import directory
from opportunities.directory import Listed
from referrals.queue import ReferralQueue

FIELDS = ((N_("directory.address"), "address"), (N_("directory.phone"), "phone"),
          (N_("directory.hours"), "hours"), (N_("directory.link"), "apply"),
          (N_("directory.contact"), "contact"))
"""The lines of an entry, in order: the message key and the column; an empty column is left out."""
NAMED = "directory"
"""``state.data`` key: ``{"municipality": …, "on": "YYYY-MM-DD"}``, named in the conversation."""
NAMED_FOR = timedelta(days=1)
"""How long what the conversation named counts (then it is forgotten)."""


async def show(turn: Turn, page_id: str, *, before: str = "") -> Outbound:
    """The page, with the directory's nearest entries for its topic when it has a slot."""
    page = turn.page(page_id)
    slot = page.services
    if slot is None:
        return turn.show(page_id, before=before)
    services = await turn.uow.catalogue.services_for(slot.topic)
    if not services:
        return turn.show(page_id, before=before)
    listed = directory.nearest(services, await municipality(turn), turn.now.date())
    block = "\n\n".join(entry(turn, item) for item in listed)
    found = f"{slot.lead.strip()}\n{block}"
    parts = paragraphs(page.text)
    if slot.replaces is None:
        parts.append(found)
    else:
        parts[parts.index(slot.replaces.strip())] = found
    return turn.show(page_id, before=before, text="\n\n".join(parts))


async def municipality(turn: Turn) -> str | None:
    """Where the user is, if they said so (module doc): one of the county's municipalities."""
    today = turn.now.date()
    said = turn.parse.entity_values().get("municipality", []) if turn.parse else []
    if (named := next(filter(directory.known, said), None)) is not None:
        turn.state.data = {**turn.state.data, NAMED: {"municipality": named,
                                                      "on": today.isoformat()}}
        return named
    if (kept := _named_lately(turn, today)) is not None:
        return kept
    referral = await ReferralQueue(turn.uow.referrals).latest_for_user(turn.user.id)
    return directory.known(referral.municipality) if referral is not None else None


def _named_lately(turn: Turn, today: date) -> str | None:
    """What the conversation named within :data:`NAMED_FOR`; older, it is forgotten now."""
    kept = turn.state.data.get(NAMED)
    if not isinstance(kept, dict):
        return None
    try:
        lately = date.fromisoformat(str(kept.get("on"))) >= today - NAMED_FOR
    except ValueError:
        lately = False
    if lately:
        return directory.known(kept.get("municipality"))
    turn.state.data = {k: v for k, v in turn.state.data.items() if k != NAMED}
    return None


def entry(turn: Turn, item: Listed) -> str:
    """One entry: its name, then each line it has, and the warning if it is old."""
    service = item.service
    name = service.title_en if turn.locale == "en" and service.title_en else service.title_sq
    lines = [turn.t("directory.name", name=_one_paragraph(name))]
    lines += [turn.t(key, value=_one_paragraph(getattr(service, column)))
              for key, column in FIELDS if getattr(service, column).strip()]
    if item.stale:
        lines.append(turn.t("directory.stale"))
    return "\n".join(lines)


def _one_paragraph(value: str) -> str:
    """Staff's text without blank lines, so an entry stays one paragraph (messages split there)."""
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())
