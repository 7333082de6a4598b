"""Telegram's command menu (the "/" list), in each locale: its names and descriptions."""

from collections.abc import Mapping

from telegram import BotCommand

from bot.i18n import N_, Translator

_DESCRIPTIONS = {
    "start": N_("command.start"), "menu": N_("command.menu"),
    "language": N_("command.language"), "help": N_("command.help"),
    "stop": N_("command.stop"), "delete": N_("command.delete"),
}
COMMANDS = {
    "sq": {"start": "start", "menu": "menu", "language": "gjuha", "help": "ndihme",
           "stop": "stop", "delete": "fshij"},
    "en": {"start": "start", "menu": "menu", "language": "language", "help": "help",
           "stop": "stop", "delete": "delete"},
}
"""Each locale's name for each command, as shown in Telegram's command menu."""


def command_menus(
    translators: Mapping[str, Translator], default_locale: str,
) -> list[tuple[str | None, list[BotCommand]]]:
    """``(language_code, commands)`` for ``setMyCommands``: one menu per locale, and the default
    locale's again for users whose language has none (``language_code`` None)."""
    menus: list[tuple[str | None, list[BotCommand]]] = []
    for locale, commands in COMMANDS.items():
        t = translators[locale]
        listed = [BotCommand(name, t(_DESCRIPTIONS[what])) for what, name in commands.items()]
        menus.append((locale, listed))
        if locale == default_locale:
            menus.append((None, listed))
    return menus
