"""The console's reports page for tests: the seeded quarter (``tests.support.quarter``) with
some of its people's answers to the profile question, and the page's tables read back from its
HTML the way a screen reader meets them (caption, header cells, rows)."""

from html.parser import HTMLParser

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import User
from bot.storage.profiles import UserProfile
from tests.support.quarter import seed

PROFILED = {
    **{number: ("answered", "kukes", "18_24", "female" if number % 2 else "male")
       for number in range(10)},
    10: ("declined", None, None, None), 11: ("declined", None, None, None),
    12: ("asked", "has", None, None),
}
"""By their place in the seeded quarter: ten answered (Kukës, 18-24, five women, five men), two
declined, one left it after saying where from."""


async def seed_with_profiles(session: AsyncSession) -> None:
    await seed(session)
    users = {user.address: user for user in (await session.scalars(select(User))).all()}
    for number, (status, municipality, age_band, gender) in PROFILED.items():
        user = users[f"q3-{number}"]
        session.add(UserProfile(user_id=user.id, status=status, municipality=municipality,
                                age_band=age_band, gender=gender, asked_at=user.created_at,
                                updated_at=user.created_at))
    await session.commit()


class Tables(HTMLParser):
    """Every ``<table>`` of a page: its caption, its column headings (``th scope=col``) and its
    rows by their heading (``th scope=row``), cells as text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict[str, list[str]]] = {}
        self.columns: dict[str, list[str]] = {}
        self.scopes: list[str | None] = []
        self._caption: str | None = None
        self._row: list[str] | None = None
        self._text: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._text = []
            if tag == "th":
                self.scopes.append(dict(attrs).get("scope"))

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self._caption = (self._caption or "") + data
        elif self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
            assert self._caption is not None
            self._caption = self._caption.strip()
            self.found[self._caption] = {}
        elif tag in ("th", "td") and self._text is not None and self._row is not None:
            self._row.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr" and self._row is not None and self._caption is not None:
            if self._caption not in self.columns:
                self.columns[self._caption] = self._row
            else:
                self.found[self._caption][self._row[0]] = self._row[1:]
            self._row = None


def tables(page: str) -> Tables:
    parsed = Tables()
    parsed.feed(page)
    return parsed
