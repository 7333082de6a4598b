"""The ``youthbot`` commands. Logging and settings are set up here and nowhere else.

Each group of commands is a module of this package; this one puts them together, and
:func:`main` (the ``youthbot`` program) turns settings it cannot run with into one line each on
stderr and exit status 78 (EX_CONFIG), whichever command found them (69, EX_UNAVAILABLE, when
the database does not answer).
"""

import sys

import typer

from bot.cli.campaigns import campaign_app
from bot.cli.doctor import doctor_app
from bot.cli.nlu import nlu_app
from bot.cli.opportunities import opportunities_app, services_app
from bot.cli.referrals import outbox_app, referrals_app
from bot.cli.reports import report_app
from bot.cli.retention import retention_app
from bot.cli.service import app as service_app
from bot.cli.service import content_app, db_app
from bot.cli.staff import staff_app
from bot.cli.telegram import telegram_app
from bot.config import SettingsError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.registered_commands += service_app.registered_commands
app.registered_commands += report_app.registered_commands
app.registered_commands += doctor_app.registered_commands
app.add_typer(db_app, name="db", help="The database schema.")
app.add_typer(outbox_app, name="outbox", help="Replies on their way, and those that got stuck.")
app.add_typer(referrals_app, name="referrals", help="The staff referral queue and its reports.")
app.add_typer(staff_app, name="staff", help="Staff accounts and their roles.")
app.add_typer(campaign_app, name="campaign", help="Campaign links and what they brought.")
app.add_typer(opportunities_app, name="opportunities",
              help="The catalogue of trainings, jobs and grants (CSV or XLSX).")
app.add_typer(services_app, name="services",
              help="The directory of local services (CSV or XLSX).")
app.add_typer(telegram_app, name="telegram", help="Telegram set-up.")
app.add_typer(retention_app, name="retention", help="Deleting what is kept for a while.")
app.add_typer(content_app, name="content", help="The content in content/.")
app.add_typer(nlu_app, name="nlu", help="The Albanian/English understanding.")


def main() -> None:
    """The program: every command, and a configuration error as lines, not a traceback."""
    try:
        app()
    except SettingsError as error:
        for problem in error.problems:
            typer.echo(problem, err=True)
        sys.exit(error.exit_code)
