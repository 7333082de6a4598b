"""``youthbot telegram``: set-up done once per deploy."""

import typer

from bot import logs
from bot.cli.common import run_async
from bot.config import SettingsError, load_settings

telegram_app = typer.Typer(no_args_is_help=True)


@telegram_app.command("set-webhook")
def telegram_set_webhook() -> None:
    """Point Telegram at TELEGRAM_WEBHOOK_URL with the secret (once per deploy)."""
    from bot.channels.telegram import build_application, set_webhook

    settings = load_settings()
    logs.setup(settings.log_level, secrets=settings.secrets())
    if not (settings.telegram_bot_token and settings.telegram_webhook_url
            and settings.telegram_webhook_secret):
        raise typer.BadParameter("needs TELEGRAM_BOT_TOKEN, _WEBHOOK_URL and _WEBHOOK_SECRET")

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
