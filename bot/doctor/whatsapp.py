"""WhatsApp through Twilio: all four settings, the credentials (fetching the account at
TWILIO_API_BASE_URL), the sender's shape and the public address Twilio must call."""

import re
from urllib.parse import urlsplit

from twilio.base.exceptions import TwilioRestException

from bot.channels.twilio_http import close_client, make_client
from bot.config import Settings
from bot.doctor.checks import Check, check_failed, check_off, check_passed

SENDER = re.compile(r"whatsapp:\+[1-9][0-9]{6,14}")
NEEDED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_NUMBER", "PUBLIC_BASE_URL")


async def whatsapp_checks(settings: Settings) -> list[Check]:
    given = {name: getattr(settings, name.lower()) for name in NEEDED}
    missing = [name for name, value in given.items() if not value]
    if all(name in missing for name in NEEDED[:3]):  # PUBLIC_BASE_URL alone serves the web
        return [check_off("WhatsApp", "off (the TWILIO_* settings are not set)")]
    if missing:
        return [check_failed("WhatsApp", f"{', '.join(missing)} not set: WhatsApp needs all four "
                       f"of {', '.join(NEEDED)}", "set the missing ones, or none of the four")]
    checks = [await _credentials(settings), _sender(settings.twilio_whatsapp_number or "")]
    checks.append(_public(settings.public_base_url or ""))
    return checks


async def _credentials(settings: Settings) -> Check:
    assert settings.twilio_account_sid and settings.twilio_auth_token
    client = make_client(settings.twilio_account_sid,
                         settings.twilio_auth_token.get_secret_value(),
                         settings.twilio_api_base_url, timeout=10.0)
    try:
        account = await client.api.v2010.accounts(settings.twilio_account_sid).fetch_async()
    except TwilioRestException as error:
        if error.status == 401:
            return check_failed("Twilio credentials", "TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN was "
                          "refused", "copy both again from the Twilio console (Account Info)")
        return check_failed("Twilio credentials", f"Twilio answered {error.status} "
                      f"(code {error.code})", "see https://www.twilio.com/docs/errors")
    except OSError as error:  # aiohttp's connection errors are OSErrors
        return check_failed("Twilio credentials", f"Twilio's API did not answer "
                      f"({type(error).__name__})", "check the network and TWILIO_API_BASE_URL")
    finally:
        await close_client(client)
    if account.status != "active":
        return check_failed("Twilio credentials", f"the account is {account.status}",
                      "see the Twilio console")
    return check_passed("Twilio credentials", f"valid: account '{account.friendly_name}' is active")


def _sender(number: str) -> Check:
    if SENDER.fullmatch(number):
        return check_passed("WhatsApp sender", number)
    return check_failed("WhatsApp sender", "TWILIO_WHATSAPP_NUMBER is not like whatsapp:+…",
                  "the sender's number with its prefix, e.g. whatsapp:+355691234567")


def _public(base: str) -> Check:
    parts = urlsplit(base)
    if parts.scheme != "https" or not parts.netloc or parts.path not in ("", "/") or (
            parts.query):
        return check_failed("PUBLIC_BASE_URL", "must be an https origin with no path",
                      "e.g. https://bot.example.org (Twilio signs its requests with it)")
    origin = base.rstrip("/")
    return check_passed("PUBLIC_BASE_URL", f"{origin}: in Twilio's console, the sender's "
                        f"incoming-message webhook must be {origin}/webhooks/whatsapp (POST); "
                        f"statuses come to {origin}/webhooks/whatsapp/status by themselves")
