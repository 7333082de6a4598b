"""``youthbot staff``: staff accounts (add, list, disable, password), for admins."""

import sys
from typing import Annotated

import typer

from bot import bootstrap, logs
from bot.cli.common import echo_table, run_async
from bot.config import load_settings

staff_app = typer.Typer(no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


@staff_app.command("add")
def staff_add(
    email: str,
    name: Annotated[str, typer.Option(help="The display name staff know them by.")],
    role: Annotated[str, typer.Option(
        help="caseworker, supervisor, admin, partner or viewer.")],
    telegram_id: Annotated[int | None, typer.Option(
        help="Their Telegram user id, to act in the staff group.")] = None,
    partner: Annotated[str | None, typer.Option(
        help="The partner organisation they work for (for the partner role).")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from stdin instead of making one.")]
    = False,
) -> None:
    """Add a staff member; prints a one-time password unless --password-stdin."""
    from bot.staff import accounts

    try:
        accounts.email_address(email)
        accounts.role(role)
    except accounts.AccountError as error:
        raise _fail(str(error)) from None
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    if password_stdin and len(password or "") < accounts.PASSWORD_MIN:
        typer.echo(f"error: the password needs {accounts.PASSWORD_MIN} characters or more",
                   err=True)
        raise typer.Exit(2)
    made = password or accounts.one_time_password()
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> str | None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            try:
                member = await accounts.add_member(
                    uow, email=email, name=name, role_name=role, password=made,
                    telegram_id=telegram_id, partner=partner)
            except accounts.AccountError as error:
                return str(error)
            await uow.commit()
            typer.echo(f"added {member.email} ({member.role}) as member {member.id}")
            return None

    problem = run_async(main)
    if problem is not None:
        raise _fail(problem)
    if not password_stdin:
        typer.echo(f"one-time password: {made}")


@staff_app.command("list")
def staff_list() -> None:
    """Staff members (no password hashes)."""
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> list[tuple[object, ...]]:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            return [(m.id, m.name or "-", m.role, m.email or "-",
                     m.telegram_id if m.telegram_id is not None else "-", m.partner or "-",
                     "active" if m.active else "disabled")
                    for m in await uow.staff.listing()]

    echo_table("{:>4} {:24} {:11} {:32} {:>14} {:20} {}",
               ("id", "name", "role", "email", "telegram_id", "partner", "state"), run_async(main))


@staff_app.command("disable")
def staff_disable(email: str) -> None:
    """The member may no longer act (kept, since the audit trail names them)."""
    from bot.staff import accounts

    try:
        accounts.email_address(email)
    except accounts.AccountError as error:
        raise _fail(str(error)) from None
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> bool:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            member = await accounts.disable(uow, email)
            await uow.commit()
            return member is not None

    if not run_async(main):
        typer.echo(f"error: no staff member {email}", err=True)
        raise typer.Exit(1)
    typer.echo(f"disabled {email.strip().lower()}")


@staff_app.command("password")
def staff_password(
    email: str,
    telegram_id: Annotated[int | None, typer.Option(
        help="Give the member with this Telegram id (e.g. one of TELEGRAM_STAFF_USER_IDS) "
             "this e-mail, to sign in to the web console.")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from stdin instead of making one.")]
    = False,
) -> None:
    """A new password for the web console; prints a one-time password unless
    --password-stdin."""
    from bot.staff import accounts

    password = (sys.stdin.readline().rstrip("\r\n") if password_stdin
                else accounts.one_time_password())
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> str | None:
        async with bootstrap.storage(settings) as unit_of_work, unit_of_work() as uow:
            try:
                member = await accounts.set_password(uow, email, password, telegram_id)
            except accounts.AccountError as error:
                return str(error)
            await uow.commit()
            typer.echo(f"new password for {member.email} (member {member.id})")
            return None

    problem = run_async(main)
    if problem is not None:
        raise _fail(problem)
    if not password_stdin:
        typer.echo(f"one-time password: {password}")
