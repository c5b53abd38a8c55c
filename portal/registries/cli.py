"""`flask demo seed`: fill the stand-in registries with the demo people (safe to run again)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for the stand-in state registries.")


@demo_cli.command("seed")
def seed() -> None:
    """Create or refresh the demo people, dwellings and service centres."""
    from portal.registries.seed import seed_demo
    from portal.staff.demo import seed_demo_staff

    for table, count in seed_demo().items():
        click.echo(f"{table:24} {count}")
    click.echo(f"{'staff_member':24} {seed_demo_staff()}")  # the demo office (README)
