"""``youthbot telegram``: set-up done once per deploy."""

import typer

from bot import logs, startup
from bot.cli.common import run_async
from bot.config import SettingsError, load_settings

telegram_app = typer.Typer(no_args_is_help=True)


@telegram_app.command("set-webhook")
def telegram_set_webhook() -> None:
    """Point Telegram at TELEGRAM_WEBHOOK_URL with the secret (once per deploy)."""
    from bot.channels.telegram import build_application, set_webhook

    settings = load_settings()
    logs.setup(settings.log_level, secrets=settings.secrets())
    startup.require_consistent(settings)
    if not settings.telegram_webhook_url:
        raise SettingsError(["TELEGRAM_WEBHOOK_URL: not set, and set-webhook needs it with "
                             "TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET; "
                             "e.g. TELEGRAM_WEBHOOK_URL=https://bot.example.org/webhooks/telegram"])

    async def main() -> None:
        from telegram.error import InvalidToken

        application = build_application(settings)
        try:
            async with application:
                await set_webhook(application, settings)
        except InvalidToken:  # its message holds the token: never printed
            raise SettingsError(["TELEGRAM_BOT_TOKEN: the Bot API rejected it; copy it again "
                                 "from @BotFather, e.g. TELEGRAM_BOT_TOKEN=123456789:AAE..."]
                                ) from None

    run_async(main)
    typer.echo("webhook set")
