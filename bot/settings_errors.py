"""Pydantic's validation errors as the operator needs them: one line a setting, naming its
environment variable, what is wrong and an example of a right value; never a secret's value."""

import re
from typing import Any

from pydantic import ValidationError

EXAMPLES = {
    "DATABASE_URL": "postgresql://youthbot:PASSWORD@127.0.0.1:5432/youthbot",
    "DEFAULT_LOCALE": "sq",
    "NLU_BACKEND": "embedded",
    "TELEGRAM_MAX_RATE": "30",
    "TELEGRAM_STAFF_CHAT_ID": "-1001234567890",
    "TELEGRAM_STAFF_USER_IDS": "123456789,987654321",
    "TELEGRAM_WEBHOOK_SECRET": "a-random-string_of-letters-and-digits",
    "TWILIO_WAITING_TEMPLATES": '\'{"sq": "HX...", "en": "HX..."}\'',
    "TWILIO_ALERT_TEMPLATES": '\'{"sq": "HX...", "en": "HX..."}\'',
    "REFERRAL_MIN_AGE": "16",
    "REFERRAL_PARTNERS": "trainings=Qendra e Formimit;jobs=Zyra e Punës",
    "PORT": "8080",
    "LOG_LEVEL": "INFO",
    "NLU_TRAIN_ON_START": "true",
    "RETENTION_DAYS": "180",
    "WEB_SECRET_KEY": "$(openssl rand -hex 32)",
    "WEBCHAT_ALLOWED_ORIGINS": "https://campaign.example.org,https://school.example.org",
}
"""A right value for each setting that can be of the wrong shape."""

_WHAT = {
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "bool_parsing": "is not true or false",
    "json_invalid": "is not valid JSON",
    "dict_type": "is not a JSON object",
}
_BOUNDS = {"greater_than": "more than {gt}", "greater_than_equal": "at least {ge}",
           "less_than_equal": "at most {le}"}


def describe(error: ValidationError) -> list[str]:
    """One line a wrong setting, e.g. ``PORT: 'abc' is not a whole number; e.g. PORT=8080``."""
    lines = []
    for detail in error.errors():
        name = str(detail["loc"][0]).upper() if detail["loc"] else "settings"
        lines.append(f"{name}: {_what(name, detail)}{_example(name)}")
    return list(dict.fromkeys(lines))


def describe_undecodable(error: Exception) -> list[str]:
    """pydantic-settings' error for a JSON setting (a dict) whose text is not JSON."""
    found = re.search(r'field "(\w+)"', str(error))
    name = found.group(1).upper() if found else "settings"
    return [f"{name}: is not valid JSON{_example(name)}"]


def _what(name: str, detail: Any) -> str:
    kind = detail["type"]
    secret = any(word in name for word in ("TOKEN", "SECRET", "SALT", "KEY", "PASSWORD"))
    given = "the value" if secret else repr(detail.get("input"))
    if kind == "literal_error":
        return f"{given} is not one of {detail['ctx']['expected']}"
    if kind == "value_error":
        message = str(detail["ctx"]["error"])
        return message if message.startswith("'") else f"{given} {message}"
    if kind in _BOUNDS:
        return f"{given} is not {_BOUNDS[kind].format(**detail['ctx'])}"
    if kind in _WHAT:
        return f"{given} {_WHAT[kind]}"
    return f"{given}: {detail['msg']}"


def _example(name: str) -> str:
    return f"; e.g. {name}={EXAMPLES[name]}" if name in EXAMPLES else ""
