"""The ``youthbot`` commands. Logging and settings are set up here and nowhere else."""

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot import bootstrap, logs
from bot.config import LOCALES, Settings
from bot.content import ContentError
from bot.storage import migrate
from bot.storage.database import create_engine

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(no_args_is_help=True)
content_app = typer.Typer(no_args_is_help=True)
app.add_typer(db_app, name="db", help="The database schema.")
nlu_app = typer.Typer(no_args_is_help=True)
campaign_app = typer.Typer(no_args_is_help=True)
telegram_app = typer.Typer(no_args_is_help=True)
outbox_app = typer.Typer(no_args_is_help=True)
app.add_typer(outbox_app, name="outbox", help="Replies on their way, and those that got stuck.")
referrals_app = typer.Typer(no_args_is_help=True)
app.add_typer(referrals_app, name="referrals", help="The staff referral queue and its reports.")
app.add_typer(campaign_app, name="campaign", help="Campaign links and what they brought.")
app.add_typer(telegram_app, name="telegram", help="Telegram set-up.")
app.add_typer(content_app, name="content", help="The content in content/.")
app.add_typer(nlu_app, name="nlu", help="The Albanian/English understanding.")


def _run(make: Callable[[], Awaitable[T]]) -> T:
    """Run a command's coroutine; broken content stops it with the list of problems, not a trace."""
    try:
        return asyncio.run(make())
    except ContentError as error:
        for problem in error.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1) from None


@app.command()
def chat(
    user: Annotated[str, typer.Option(help="Who you are; the same id continues a conversation.")]
    = "console",
    lang: Annotated[str | None, typer.Option(help="Language: sq or en.")] = None,
    log_level: Annotated[str, typer.Option(help="Log level on stderr.")] = "WARNING",
) -> None:
    """Talk to the bot in the terminal (one line is one message; piped input works too)."""
    from bot.channels.console import ConsoleChannel

    if lang is not None and lang not in LOCALES:
        raise typer.BadParameter(f"choose one of {', '.join(LOCALES)}", param_hint="--lang")
    logs.setup(log_level)
    settings = Settings()

    async def main() -> None:
        container = await bootstrap.build(settings)
        try:
            console = ConsoleChannel(
                container.engine, container.unit_of_work, user, lang, sys.stdin, sys.stdout
            )
            await console.run(container.translators[lang or settings.default_locale])
        finally:
            await container.close()

    _run(main)


@app.command()
def run() -> None:
    """The service: HTTP app (webhooks, health), Telegram polling or webhook, outbox senders."""
    import uvicorn

    from bot.channels.web import create_app

    settings = Settings()
    logs.setup(settings.log_level)

    async def main() -> None:
        container = await bootstrap.build(settings)
        app = create_app(container, _channels(settings, container), owns_container=True)
        config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None)
        await uvicorn.Server(config).serve()

    _run(main)


def _channels(settings: Settings, container: bootstrap.Container) -> list:  # type: ignore[type-arg]
    """The channel adapters the settings turn on (each one only with its credentials)."""
    channels = []
    if settings.telegram_bot_token is not None:
        from bot.channels.telegram import TelegramChannel, build_application

        channels.append(TelegramChannel(
            build_application(settings), container.engine, container.unit_of_work,
            container.translators, settings, container.staff,
        ))
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp import WhatsAppChannel

        channels.append(WhatsAppChannel(container.engine, container.unit_of_work, settings,
                                        container.staff))
    return channels


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations up to the newest."""
    settings = Settings()
    logs.setup(settings.log_level)

    async def main() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    _run(main)
    typer.echo("database at head")


@content_app.command("check")
def content_check() -> None:
    """Validate content/ for every locale and the interface catalogs; exit 1 on any problem."""
    from bot.content_check import problems

    settings = Settings()
    found = problems(settings.content_dir)
    for problem in found:
        typer.echo(problem, err=True)
    if found:
        raise typer.Exit(1)
    typer.echo(f"content ok: {', '.join(LOCALES)}")



@nlu_app.command("train")
def nlu_train() -> None:
    """Train the embedded classifier on nlu/data and keep it where the settings say."""
    from nlu.embedded import model_path, save, train

    settings = Settings()
    logs.setup(settings.log_level)
    classifier = train()
    path = model_path(settings.nlu_model_dir)
    save(classifier, path)
    typer.echo(f"model saved: {path}")


@nlu_app.command("parse")
def nlu_parse(text: str) -> None:
    """Parse one text; print JSON shaped like a Rasa server's /model/parse answer."""
    settings = Settings()
    logs.setup("WARNING")

    async def main() -> dict[str, object]:
        from bot.bootstrap import build_nlu

        nlu = build_nlu(settings)
        try:
            return (await nlu.parse(text)).as_rasa()
        finally:
            if hasattr(nlu, "close"):
                await nlu.close()

    typer.echo(json.dumps(_run(main), ensure_ascii=False, indent=2))


@nlu_app.command("test")
def nlu_test(
    file: Path,
    report: Annotated[Path | None, typer.Option(help="Where to write the JSON report.")] = None,
) -> None:
    """Evaluate on a Rasa YAML file; print accuracy and macro-F1, write the full report."""
    from nlu.embedded import load_or_train
    from nlu.evaluate import intent_report
    from nlu.training_data import load_examples

    settings = Settings()
    logs.setup("WARNING")
    nlu = load_or_train(settings.nlu_model_dir)
    result = intent_report(load_examples(file), nlu.parse_now)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    macro = result["macro avg"]
    typer.echo(
        f"accuracy {result['accuracy']:.4f}  macro-F1 {macro['f1-score']:.4f}  "
        f"urgent+smuggling recall {result['safety_recall']:.4f}  "
        f"examples {int(macro['support'])}"
    )


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
        WHATSAPP_GREETING, campaign_code, campaign_code_ok, telegram_link, whatsapp_link,
    )
    from bot.i18n import load_translators

    settings = Settings()
    logs.setup("WARNING")
    chosen = code or campaign_code(name)
    if not campaign_code_ok(chosen):
        raise typer.BadParameter("1-64 characters of A-Z a-z 0-9 _ -", param_hint="--code")

    async def main() -> None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            if await uow.campaigns.by_code(chosen) is not None:
                raise typer.BadParameter(f"{chosen} exists", param_hint="--code")
            uow.campaigns.add(chosen, name)
            await uow.commit()

    _run(main)
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
    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[tuple[str, str, int, int]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            counts = await uow.campaigns.counts()
            rows = [(c.code, c.name, counts.get(c.code, {}).get("started", 0),
                     counts.get(c.code, {}).get("users", 0))
                    for c in await uow.campaigns.all()]
        unknown = counts.get(None, {}).get("started", 0)
        return rows + [("(unknown code)", "", unknown, 0)] if unknown else rows

    typer.echo(f"{'code':30} {'started':>8} {'users':>6}  name")
    for code, name, started, users in _run(main):
        typer.echo(f"{code:30} {started:>8} {users:>6}  {name}")


@outbox_app.command("problems")
def outbox_problems(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
) -> None:
    """Replies that wait (WhatsApp's window closed), failed for good, or were reported failed."""
    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[tuple[object, ...]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            return [(m.id, m.channel, m.user_id or "", f"{m.created_at:%Y-%m-%d %H:%M}",
                     m.held_reason or "", m.status or "", m.error_code or m.last_error or "")
                    for m in await uow.outbox.problems(channel)]

    typer.echo(f"{'id':>6} {'channel':9} {'user':>6} {'written':16} {'waiting because':30} "
               f"{'status':11} error")
    for row in _run(main):
        typer.echo("{:>6} {:9} {:>6} {:16} {:30} {:11} {}".format(*row))


@referrals_app.command("list")
def referrals_list(
    status: Annotated[str | None, typer.Option(help="Only this status (new, claimed, ...).")]
    = None,
) -> None:
    """Referrals, newest first: no personal fields."""
    from referrals.lifecycle import Status
    from referrals.report import LIST_COLUMNS, list_row

    if status is not None and status not in {s.value for s in Status}:
        raise typer.BadParameter(f"one of {', '.join(s.value for s in Status)}",
                                 param_hint="--status")
    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[tuple[str, ...]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            return [list_row(r) for r in await uow.referrals.listing(status)]

    layout = "{:>6} {:16} {:8} {:16} {:10} {}"
    typer.echo(layout.format(*LIST_COLUMNS))
    for row in _run(main):
        typer.echo(layout.format(*row))


@referrals_app.command("show")
def referrals_show(referral_id: int) -> None:
    """One referral: every field (personal ones too) and its audit trail."""
    from referrals.report import show_lines

    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[str] | None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            referral = await uow.referrals.get(referral_id)
            if referral is None:
                return None
            return show_lines(referral, await uow.referrals.events(referral_id))

    lines = _run(main)
    if lines is None:
        typer.echo(f"no referral {referral_id}", err=True)
        raise typer.Exit(1)
    for line in lines:
        typer.echo(line)


@referrals_app.command("export")
def referrals_export(
    since: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"],
                                            help="First day (UTC) to include, YYYY-MM-DD.")],
    out: Annotated[Path | None, typer.Option(help="CSV file to write (default: stdout).")]
    = None,
) -> None:
    """CSV for donor reports (no contact, summary or answers), from a day on."""
    from referrals.report import export_row, write_csv

    settings = Settings()
    logs.setup("WARNING")

    async def main() -> list[dict[str, str]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            return [export_row(r)
                    for r in await uow.referrals.created_since(since.replace(tzinfo=UTC))]

    rows = _run(main)
    if out is None:
        write_csv(rows, sys.stdout)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as stream:
        count = write_csv(rows, stream)
    typer.echo(f"{count} referrals written to {out}")


@telegram_app.command("set-webhook")
def telegram_set_webhook() -> None:
    """Point Telegram at TELEGRAM_WEBHOOK_URL with the secret (once per deploy)."""
    from bot.channels.telegram import build_application, set_webhook

    settings = Settings()
    logs.setup(settings.log_level)
    if not (settings.telegram_bot_token and settings.telegram_webhook_url
            and settings.telegram_webhook_secret):
        raise typer.BadParameter("needs TELEGRAM_BOT_TOKEN, _WEBHOOK_URL and _WEBHOOK_SECRET")

    async def main() -> None:
        application = build_application(settings)
        async with application:
            await set_webhook(application, settings)

    _run(main)
    typer.echo("webhook set")
