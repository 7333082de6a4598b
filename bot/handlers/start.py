"""First contact: who the bot is, what it keeps, and the menu (with the language switch).

When the first message already asks for a topic, the topic follows the introduction; when it
is a cry for help (or "ndihmë", the menu with the emergency numbers), the help comes first and
the introduction after it.
"""

from bot.content import HELP, MENU
from bot.handlers import directory, handoff
from bot.messages import Outbound
from bot.routes import ShowPage
from bot.turn import Turn
from nlu.base import SAFETY_INTENTS


async def welcome(turn: Turn) -> list[Outbound]:
    page = turn.route.maybe(ShowPage)
    introduced = await introduce(turn, page.page_id if page else None)
    return [*introduced, *await handoff.after_danger(turn)]


async def introduce(turn: Turn, target: str | None = None) -> list[Outbound]:
    """The introduction, then the menu or the page the first message asked for."""
    intro = "\n\n".join((turn.t("welcome.text"), turn.t("privacy.notice")))
    if target is None:
        return [turn.show(MENU, before=intro)]
    shown = await directory.show(turn, target)
    if target == HELP or turn.parse is not None and turn.parse.intent.name in SAFETY_INTENTS:
        return [shown, Outbound(intro)]
    return [Outbound(intro), shown]
