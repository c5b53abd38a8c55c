"""`flask staff add|set-settlements|set-iin|disable|list|reset-totp`: staff accounts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core.registries.settlements import SETTLEMENTS

from . import accounts
from .models import Role

staff_cli = AppGroup("staff", help="Staff accounts of the housing office.")


@staff_cli.command("add")
@click.argument("login")
@click.option("--name", required=True, help="Full name, as staff and the audit trail see it.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--settlement", "settlements", multiple=True, required=True,
              type=click.Choice(sorted(SETTLEMENTS)), help="Repeat for several settlements.")
@click.option("--prompt-password", is_flag=True,
              help="Type the password instead of generating one.")
@click.option("--iin", default=None,
              help="The IIN of their ЭЦП certificate (to sign final decisions with ЭЦП).")
def add(login, name, role, settlements, prompt_password, iin):
    """Create an account; the password is printed once (or typed), TOTP is set up at sign-in."""
    if prompt_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = accounts.generate_password()
    try:
        member = accounts.add(login, name, role, list(settlements), password, iin=iin)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created {member.login} ({member.role}: {', '.join(member.settlements)})")
    if not prompt_password:
        click.echo(f"password (shown once, hand it over in person): {password}")
    click.echo("the authenticator app is set up at the first sign-in at /office/sign-in")


@staff_cli.command("set-settlements")
@click.argument("login")
@click.option("--settlement", "settlements", multiple=True, required=True,
              type=click.Choice(sorted(SETTLEMENTS)), help="Repeat for several settlements.")
def set_settlements(login, settlements):
    """Replace the settlements whose applications LOGIN handles."""
    try:
        member = accounts.set_settlements(login, list(settlements))
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{member.login}: {', '.join(member.settlements)}")


@staff_cli.command("set-iin")
@click.argument("login")
@click.argument("iin")
def set_iin(login, iin):
    """Record the IIN of a staff member's ЭЦП certificate."""
    try:
        member = accounts.set_iin(login, iin)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{member.login}: IIN {member.iin}")


@staff_cli.command("disable")
@click.argument("login")
def disable(login):
    """No more sign-ins for LOGIN; their open sessions end now."""
    try:
        member = accounts.disable(login)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"disabled {member.login}")


@staff_cli.command("reset-totp")
@click.argument("login")
def reset_totp(login):
    """A lost phone: LOGIN sets up the authenticator app again at the next sign-in."""
    try:
        member = accounts.reset_totp(login)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{member.login} will set up the authenticator app at the next sign-in")


@staff_cli.command("list")
def list_staff():
    """Every account: login, role, settlements, state."""
    for m in accounts.all_members():
        state = "disabled" if m.disabled_at else "active" if m.totp_confirmed_at else "no TOTP yet"
        click.echo(f"{m.login}\t{m.role}\t{','.join(m.settlements)}\t{state}\t{m.full_name}")
