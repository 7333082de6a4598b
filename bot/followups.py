"""Short follow-ups read in the context of the page shown last: "po në Has?", "sa kushton?",
"po për vajza?", "ku?", "a ka në Kukës?".

Right after a page, such a message is about that page's topic, even when the NLU finds no topic
in it (out of scope, a bare yes or no) or is unsure of the one it finds. The answer is that
topic's page an entity picks ("po në Gjermani?" after the migration page: the Germany page), or
else the page itself again, with a short lead saying it is about that topic. A message the NLU
reads as danger is never a follow-up: the router has sent it to its page before asking here.

Like the router, this reads the situation and changes nothing.
"""

import re

from bot.routes import Route, RouteName, ShowPage
from bot.turn import Situation
from nlu.base import OUT_OF_SCOPE, SAFETY_INTENTS, Parse
from nlu.normalize import fold

MAX_WORDS = 5
"""A follow-up is short; a longer message stands on its own."""
UNSURE = 0.6
"""A topic the NLU is less sure of than this gives way to the topic of the page shown last."""
NO_TOPIC = (OUT_OF_SCOPE, "affirm", "deny", "greet")
"""What the NLU makes of a follow-up when it sees no topic in it ("po në Has?" reads as a yes)."""
_QUESTION = re.compile(r"^(?:ku|kur|sa|si|a|kush|cfare|where|when|how|what|who|is|are)\b")
_ABOUT = re.compile(
    r"^(?:(?:po|e|edhe|dhe|and|what about|how about)\s+)?(?:ne|per|te|me|nga|in|for|at|with)\b"
)
"""How a follow-up starts, on folded text: a question word ("ku?", "kur?", "sa kushton?", "a ka
…?") or a preposition, after "po", "e" or "edhe" or not ("po në Has?", "po për vajza?"). A
question mark ("po vajzat?") or a place or country named ("Has?") makes one too; "e kuptova"
or "po dua" (a bare yes) is none."""


def follow_up(situation: Situation, parse: Parse) -> Route | None:
    """The page a short follow-up is about, or None when the message is not one (or nothing
    shown last has a topic)."""
    if not _is_follow_up(situation, parse):
        return None
    last = situation.state.page or ""
    content = situation.content
    topic = last.split(".")[0]
    if not (content.has_page(last) and content.has_page(topic)):
        return None
    intent = content.page(content.locales[0], topic).intent
    if intent is None:
        return None  # the menu, the offer check: no topic to stay on
    picked = content.page_for(intent, parse.entity_values())
    if picked is not None and picked not in (topic, last):
        return Route(RouteName.PAGE, ShowPage(picked))
    return Route(RouteName.PAGE, ShowPage(last, about=topic))


def _is_follow_up(situation: Situation, parse: Parse) -> bool:
    intent, folded = parse.intent, fold(parse.text)
    if intent.name in SAFETY_INTENTS or not 0 < len(folded.split()) <= MAX_WORDS:
        return False
    no_topic = intent.name in NO_TOPIC
    unsure = intent.confidence < UNSURE and situation.content.page_for(intent.name, {}) is not None
    shaped = (_QUESTION.match(folded) or _ABOUT.match(folded) or parse.text.rstrip().endswith("?")
              or parse.entities)
    return (no_topic or unsure) and bool(shaped)
