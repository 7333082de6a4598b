"""The Telegram adapter's pure parts: updates to Inbound, replies to keyboards and pieces."""

import pytest
from telegram import Bot, Update

from bot.channels.splitting import split_paragraphs
from bot.channels.telegram import blocked_by, keyboard, to_inbound
from bot.messages import Choice, Media, Outbound

BOT = Bot("123:abc")
PRIVATE = {"id": 7, "type": "private", "first_name": "Ana"}
USER = {"id": 7, "is_bot": False, "first_name": "Ana"}


def update(**fields: object) -> Update:
    return Update.de_json({"update_id": 11, **fields}, BOT)


def message(**fields: object) -> dict[str, object]:
    return {"message_id": 1, "date": 1700000000, "chat": PRIVATE, "from": USER, **fields}


def test_text_becomes_an_inbound_with_the_update_id_as_delivery() -> None:
    inbound = to_inbound(update(message=message(text="pune ne Has")))
    assert inbound is not None
    assert (inbound.channel, inbound.address, inbound.text, inbound.delivery_id) == (
        "telegram", "7", "pune ne Has", "11")


@pytest.mark.parametrize(("payload", "campaign"), [
    ("poster_kukes-2026", "poster_kukes-2026"),
    ("a" * 64, "a" * 64),
    ("a" * 65, None),
    ("bad code!", None),
    ("<script>", None),
])
def test_start_payloads_are_validated(payload: str, campaign: str | None) -> None:
    inbound = to_inbound(update(message=message(
        text=f"/start {payload}", entities=[{"type": "bot_command", "offset": 0, "length": 6}])))
    assert inbound is not None and inbound.text == "/start"
    assert inbound.campaign == campaign


@pytest.mark.parametrize(("field", "value", "media"), [
    ("photo", [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}], Media.IMAGE),
    ("voice", {"file_id": "f", "file_unique_id": "u", "duration": 2}, Media.AUDIO),
    ("sticker", {"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1,
                 "is_animated": False, "is_video": False, "type": "regular"}, Media.STICKER),
    ("location", {"latitude": 42.07, "longitude": 20.42}, Media.LOCATION),
    ("contact", {"phone_number": "+355691234567", "first_name": "Ana"}, Media.OTHER),
])
def test_media_is_named_not_read(field: str, value: object, media: Media) -> None:
    inbound = to_inbound(update(message=message(**{field: value})))
    assert inbound is not None and inbound.media is media and inbound.text == ""


def test_edits_groups_and_unknown_updates_are_ignored() -> None:
    group = {"id": -100123, "type": "supergroup", "title": "Staff"}
    assert to_inbound(update(edited_message=message(text="x", edit_date=1700000001))) is None
    assert to_inbound(update(message=message(text="hi", chat=group))) is None
    assert to_inbound(update()) is None


def test_a_pressed_button_carries_its_choice() -> None:
    inbound = to_inbound(update(callback_query={
        "id": "q", "from": USER, "chat_instance": "c", "data": "page:jobs",
        "message": message(text="menu")}))
    assert inbound is not None and inbound.choice_id == "page:jobs"


def test_blocking_is_recognised() -> None:
    bot_user = {"id": 1, "is_bot": True, "first_name": "Bot"}
    change = {"chat": PRIVATE, "from": USER, "date": 1700000000,
              "old_chat_member": {"status": "member", "user": bot_user},
              "new_chat_member": {"status": "kicked", "user": bot_user, "until_date": 0}}
    assert blocked_by(update(my_chat_member=change)) == "7"


def test_callback_data_is_measured_in_bytes() -> None:
    fits = Choice("page:" + "a" * 59, "ok")
    too_long = Choice("page:" + "ë" * 30, "ë is two bytes")
    markup = keyboard(Outbound("x", (fits, too_long)))
    assert markup is not None
    assert [row[0].callback_data for row in markup.inline_keyboard] == [fits.id]


def test_long_replies_split_at_paragraphs() -> None:
    paragraphs = ["a" * 3000, "b" * 3000, "c" * 100]
    pieces = split_paragraphs("\n\n".join(paragraphs), 4096)
    assert pieces == ["a" * 3000, "b" * 3000 + "\n\n" + "c" * 100]
    huge = split_paragraphs("word " * 2000, 4096)
    assert all(len(p) <= 4096 for p in huge) and "".join(huge).count("word") == 2000
