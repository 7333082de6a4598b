"""``youthbot campaign``: links for posters and ads, and what they brought."""

from pathlib import Path
from typing import Annotated

import typer

from bot import bootstrap, logs
from bot.cli.common import read, run_async
from bot.config import LOCALES, Settings, load_settings

campaign_app = typer.Typer(no_args_is_help=True)


@campaign_app.command("create")
def campaign_create(
    name: str,
    code: Annotated[str | None, typer.Option(help="The link code (default: from the name).")]
    = None,
    qr: Annotated[Path | None, typer.Option(help="Where to write the QR code PNG.")] = None,
) -> None:
    """Register a campaign; print its Telegram (and WhatsApp) link, write QR codes for posters.
    The campaign is saved only once its QR codes are written."""
    from bot.campaigns import campaign_code, campaign_code_ok

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())
    chosen = code or campaign_code(name)
    if not campaign_code_ok(chosen):
        raise typer.BadParameter("1-64 characters of A-Z a-z 0-9 _ -", param_hint="--code")

    async def main() -> None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            if await uow.campaigns.by_code(chosen) is not None:
                raise typer.BadParameter(f"{chosen} exists", param_hint="--code")
            _print_links(settings, chosen, qr)  # a failing write leaves no campaign
            uow.campaigns.add(chosen, name)
            await uow.commit()

    run_async(main)


@campaign_app.command("show")
def campaign_show(
    code: str,
    qr: Annotated[Path | None, typer.Option(help="Where to write the QR code PNG.")] = None,
) -> None:
    """Print a campaign's links again and write its QR codes again (a lost poster file)."""
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            campaign = await uow.campaigns.by_code(code)
            name = None if campaign is None else campaign.name
        if name is None:
            typer.echo(f"no campaign {code}: see youthbot campaign list", err=True)
            raise typer.Exit(1)
        typer.echo(f"name      {name}")
        _print_links(settings, code, qr)

    run_async(main)


def _print_links(settings: Settings, code: str, qr: Path | None) -> None:
    """Print the code's links and write a QR code for each (``qr``, default
    ``campaign-CODE.png`` here; WhatsApp's beside it with ``-whatsapp``). A link that would lead
    nowhere (no TELEGRAM_BOT_USERNAME) gets one line saying so, and no QR code. A file that
    cannot be written: one line, exit 1."""
    import segno

    from bot.campaigns import WHATSAPP_GREETING, telegram_link, whatsapp_link
    from bot.i18n import load_translators

    target = qr or Path(f"campaign-{code}.png")
    links = {}
    if settings.telegram_bot_username:
        links["telegram"] = (telegram_link(settings.telegram_bot_username, code), target)
    if settings.twilio_whatsapp_number:
        greeting = load_translators(LOCALES)[settings.default_locale](WHATSAPP_GREETING)
        links["whatsapp"] = (whatsapp_link(settings.twilio_whatsapp_number, code, greeting),
                             target.with_name(f"{target.stem}-whatsapp{target.suffix}"))
    typer.echo(f"code      {code}")
    for channel, (link, image) in links.items():
        try:
            segno.make(link, error="m").save(str(image), scale=10, border=4)
        except (OSError, ValueError) as error:
            typer.echo(f"cannot write the QR code {image}: {error}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{channel:9} {link}\n{'':9} qr: {image}")
    if not settings.telegram_bot_username:
        typer.echo("no Telegram link or QR code: set TELEGRAM_BOT_USERNAME (the bot's @name "
                   "without the @)", err=True)


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
