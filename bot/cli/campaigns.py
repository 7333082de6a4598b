"""``youthbot campaign``: links for posters and ads, and what they brought."""

from pathlib import Path
from typing import Annotated

import typer

from bot import bootstrap, logs
from bot.cli.common import read, run_async
from bot.config import LOCALES, load_settings

campaign_app = typer.Typer(no_args_is_help=True)


@campaign_app.command("create")
def campaign_create(
    name: str,
    code: Annotated[str | None, typer.Option(help="The link code (default: from the name).")]
    = None,
    qr: Annotated[Path | None, typer.Option(help="Where to write the QR code PNG.")] = None,
) -> None:
    """Register a campaign; print its Telegram (and WhatsApp) link, write QR codes for posters."""
    import segno

    from bot.campaigns import (
        WHATSAPP_GREETING,
        campaign_code,
        campaign_code_ok,
        telegram_link,
        whatsapp_link,
    )
    from bot.i18n import load_translators

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())
    chosen = code or campaign_code(name)
    if not campaign_code_ok(chosen):
        raise typer.BadParameter("1-64 characters of A-Z a-z 0-9 _ -", param_hint="--code")

    async def main() -> None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            if await uow.campaigns.by_code(chosen) is not None:
                raise typer.BadParameter(f"{chosen} exists", param_hint="--code")
            uow.campaigns.add(chosen, name)
            await uow.commit()

    run_async(main)
    target = qr or Path(f"campaign-{chosen}.png")
    links = {"telegram": (telegram_link(settings.telegram_bot_username or "YOUR_BOT", chosen),
                          target)}
    if settings.twilio_whatsapp_number:
        greeting = load_translators(LOCALES)[settings.default_locale](WHATSAPP_GREETING)
        links["whatsapp"] = (whatsapp_link(settings.twilio_whatsapp_number, chosen, greeting),
                             target.with_name(f"{target.stem}-whatsapp{target.suffix}"))
    typer.echo(f"code      {chosen}")
    for channel, (link, image) in links.items():
        segno.make(link, error="m").save(str(image), scale=10, border=4)
        typer.echo(f"{channel:9} {link}\n{'':9} qr: {image}")
    if not settings.telegram_bot_username:
        typer.echo("set TELEGRAM_BOT_USERNAME for the real Telegram link", err=True)


@campaign_app.command("list")
def campaign_list() -> None:
    """Every campaign with what its link brought: starts, and users it brought first."""
    from reports import reach

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    typer.echo(f"{'code':30} {'started':>8} {'users':>6}  name")
    for row in read(settings, lambda session: reach.campaigns(session)):
        code = "(unknown code)" if row.code is reach.UNKNOWN else row.code
        typer.echo(f"{code:30} {row.started:>8} {row.users:>6}  {row.name}")
