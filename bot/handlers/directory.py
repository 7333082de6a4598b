"""Content pages with the directory of local services in their slot (``services:`` in content/):
where a page says "go to the employment office", the nearest real office instead, with its
address, phone, hours and link. An empty directory, or none for the page's topic, leaves the
page exactly as it is: nothing is ever made up.

The user's municipality is what this message names ("… n tropoj"), else what they answered for
their latest referral (given with consent); nothing else is kept about where someone lives.
"""

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
    if turn.parse is not None:
        for value in turn.parse.entity_values().get("municipality", []):
            if directory.known(value):
                return value
    referral = await ReferralQueue(turn.uow.referrals).latest_for_user(turn.user.id)
    return directory.known(referral.municipality) if referral is not None else None


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
