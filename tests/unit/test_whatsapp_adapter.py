"""Twilio's webhook fields as the engine's messages, and wa.me campaign links."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.campaigns import split_whatsapp_tag, whatsapp_link
from bot.channels.whatsapp import WINDOW, to_inbound
from bot.delivery.policy import window_open
from bot.messages import Media
from bot.storage.models import utcnow

USER = "whatsapp:+355691234567"


def form(**fields: str) -> dict[str, str]:
    return {"From": USER, "MessageSid": "SM" + "a" * 32, "Body": "", "NumMedia": "0", **fields}


def test_text_keeps_its_sid_as_the_delivery_id() -> None:
    inbound = to_inbound(form(Body="a ka pune ne Kukes?"))
    assert inbound is not None
    assert (inbound.channel, inbound.address, inbound.text) == ("whatsapp", USER,
                                                                "a ka pune ne Kukes?")
    assert inbound.delivery_id == "SM" + "a" * 32 and inbound.media is Media.TEXT


def test_a_quick_reply_button_selects_by_its_payload() -> None:
    inbound = to_inbound(form(Body="Shiko", ButtonText="Shiko", ButtonPayload="waiting"))
    assert inbound is not None and inbound.choice_id == "waiting"


def test_a_wa_me_tag_is_cut_from_the_text_and_kept_as_the_campaign() -> None:
    inbound = to_inbound(form(Body="Tung! Dua të di më shumë. (ref: postera_kukes_2026)"))
    assert inbound is not None
    assert (inbound.text, inbound.campaign) == ("Tung! Dua të di më shumë.", "postera_kukes_2026")


def test_a_click_to_whatsapp_ad_counts_as_a_campaign() -> None:
    inbound = to_inbound(form(Body="Pershendetje", ReferralSourceId="120210000000001",
                              ReferralSourceType="ad", ReferralCtwaClid="ARAkLk"))
    assert inbound is not None and inbound.campaign == "ad_120210000000001"


@pytest.mark.parametrize(("fields", "media"), [
    ({"NumMedia": "1", "MediaContentType0": "image/jpeg"}, Media.IMAGE),
    ({"NumMedia": "1", "MediaContentType0": "audio/ogg"}, Media.AUDIO),
    ({"NumMedia": "1", "MediaContentType0": "video/mp4"}, Media.VIDEO),
    ({"NumMedia": "1", "MediaContentType0": "application/pdf"}, Media.FILE),
    ({"Latitude": "42.08", "Longitude": "20.42"}, Media.LOCATION),
    ({"NumMedia": "lots"}, Media.TEXT),
])
def test_media_is_named_by_kind(fields: dict[str, str], media: Media) -> None:
    inbound = to_inbound(form(**fields))
    assert inbound is not None and inbound.media is media


@pytest.mark.parametrize("fields", [
    {"From": "+355691234567"}, {"From": "whatsapp:355691234567"}, {"From": ""},
    {"From": "whatsapp:+355' OR 1=1"}, {"MessageSid": ""},
])
def test_what_is_not_a_whatsapp_message_is_none(fields: dict[str, str]) -> None:
    assert to_inbound(form(**fields)) is None


def test_the_link_carries_the_greeting_and_the_code_and_the_tag_comes_back() -> None:
    link = whatsapp_link("whatsapp:+1 415 523 8886", "postera_kukes_2026", "Tung! Ça kemi?")
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("wa.me", "/14155238886")
    [text] = parse_qs(parts.query)["text"]
    assert split_whatsapp_tag(text) == ("Tung! Ça kemi?", "postera_kukes_2026")
    assert split_whatsapp_tag("a ka pune (ref: kjo nuk eshte kod!)") == (
        "a ka pune (ref: kjo nuk eshte kod!)", None)


def test_the_window_is_24_hours_from_the_last_message_less_a_margin() -> None:
    now = utcnow()
    assert window_open(now - timedelta(hours=23), now, WINDOW)
    assert not window_open(now - timedelta(hours=23, minutes=58), now, WINDOW)
    assert not window_open(None, now, WINDOW)
