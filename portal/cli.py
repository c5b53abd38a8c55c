"""Command-line entry points: `flask demo seed`, `flask sms retry`, `flask jobs run`."""

import click
from flask import Flask
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background work; safe from cron on several machines at once.")


@jobs_cli.command("run")
def run_jobs():
    """Retry unsent SMS and e-mail, close applications whose owners' hour has passed, decide the
    housing applications made outside working time whose working day has come, erase kiosk
    drafts a visit left behind, keep each list member's place where it moved (the chart on
    their page)."""
    from kiosk import devices
    from portal.core import mail, sms
    from portal.housing.services import housing_sms, member, submission
    from portal.residence.services import consent

    sent = sms.retry_due()
    mailed = mail.retry_due()
    closed = consent.expire_due()
    decided = submission.decide_waiting(housing_sms.DECISIONS)
    erased = devices.erase_abandoned_drafts()
    places = member.snapshot_places()
    click.echo(f"sms sent: {sent}; applications closed: {closed}; "
               f"housing applications decided: {decided}; "
               f"abandoned kiosk drafts erased: {erased}; e-mail sent: {mailed}; "
               f"places kept: {places}")


translate_cli = AppGroup("translate", help="Message catalogues (kk, ru, en) with pybabel.")


def _pybabel(*args: str) -> None:
    import subprocess
    import sys
    from pathlib import Path

    from portal.config import REPO_ROOT

    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), *args], cwd=REPO_ROOT, check=True)


@translate_cli.command("update")
def translate_update():
    """Extract strings from code and templates and merge them into the catalogues."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_ngettext:1,2",
             "--no-location", "--sort-output",
             "-o", "translations/messages.pot", ".")
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations",
             "--no-fuzzy-matching", "--ignore-obsolete")


@translate_cli.command("compile")
def translate_compile():
    """Build the .mo files the app reads (they are not committed)."""
    _pybabel("compile", "-d", "translations", "--statistics")


def init_app(app: Flask) -> None:
    from demo_registries.cli import demo_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(translate_cli)
    from portal.housing.office.staff.cli import staff_cli

    app.cli.add_command(staff_cli)
