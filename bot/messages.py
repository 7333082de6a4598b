"""The core's only vocabulary: what a channel hands in and what it gets back to render."""

from dataclasses import dataclass, field
from enum import StrEnum


class Media(StrEnum):
    """What kind of message arrived; anything but text is answered politely, not parsed."""

    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    STICKER = "sticker"
    LOCATION = "location"
    FILE = "file"
    OTHER = "other"


@dataclass(frozen=True)
class Inbound:
    """One message from a user, already stripped of everything platform-specific.

    ``address`` is the channel's id for the user (a Telegram chat id, a ``whatsapp:+…`` number, a
    console user name). ``choice_id`` is set when a button was pressed. ``delivery_id`` is the
    platform's id for this delivery (update id, MessageSid): the same id twice is answered once.
    ``campaign`` is the code of the link the user came by (a deep-link payload), if any.
    """

    channel: str
    address: str
    text: str = ""
    choice_id: str | None = None
    media: Media = Media.TEXT
    delivery_id: str | None = None
    campaign: str | None = None
    locale: str | None = None
    """A language the channel knows the user wants (``youthbot chat --lang``); None leaves it be."""

    @property
    def user_key(self) -> tuple[str, str]:
        return (self.channel, self.address)


@dataclass(frozen=True)
class Choice:
    """An option offered with a reply: a stable ASCII ``id`` and a label in the user's language."""

    id: str
    label: str


@dataclass(frozen=True)
class Outbound:
    """One reply: text plus choices. Channels render choices as buttons or numbered lines."""

    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    thread: str | None = None
    """A thread within the chat (a forum topic of the staff group); None: the chat itself."""
    edit: str | None = None
    """The platform's id of a message sent before that this text replaces (channels that can
    edit: Telegram); None: a new message."""
