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


@telegram_app.command("whoami")
def telegram_whoami() -> None:
    """The bot's id and @name, and the chats and people it saw lately (with their ids): for
    TELEGRAM_STAFF_CHAT_ID and TELEGRAM_STAFF_USER_IDS. Add the bot to the staff group, have
    everyone write /id there, then run this (before the webhook is set, with the service
    stopped)."""
    from telegram.error import Conflict, InvalidToken, TelegramError

    from bot.doctor.whoami import whoami

    settings = load_settings()
    logs.setup("ERROR", secrets=settings.secrets())
    if settings.telegram_bot_token is None:
        raise typer.BadParameter("set TELEGRAM_BOT_TOKEN first (from @BotFather)")
    try:
        found = run_async(lambda: whoami(settings))
    except InvalidToken:
        typer.echo("TELEGRAM_BOT_TOKEN was refused by Telegram: copy it again from @BotFather",
                   err=True)
        raise typer.Exit(1) from None
    except Conflict:
        typer.echo("another program reads this bot's updates (is `youthbot run` polling?): "
                   "stop it and try again", err=True)
        raise typer.Exit(1) from None
    except TelegramError as error:
        typer.echo(f"the Bot API did not answer ({type(error).__name__})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"bot: @{found.me.username} (id {found.me.id})")
    if found.webhook.url:
        typer.echo(f"a webhook is set ({found.webhook.url}), so Telegram keeps no updates to "
                   "list here; write /id in the staff group, or run this before "
                   "`youthbot telegram set-webhook`")
        return
    if not found.chats:
        typer.echo("no recent group chats: add the bot to the staff group, write /id there, and run "
                   "this again")
    for chat in found.chats:
        typer.echo(f"chat {chat.id}  {chat.kind}  {chat.title!r}")
        for user_id, name in chat.people.items():
            typer.echo(f"    user {user_id}  {name}")
