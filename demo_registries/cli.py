"""`flask demo seed`: fill the stand-in registries with the demo people (safe to run again)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for the stand-in state registries.")


@demo_cli.command("seed")
def seed() -> None:
    """Create or refresh the demo people, dwellings and service centres."""
    from demo_registries.seed import seed_demo

    for table, count in seed_demo().items():
        click.echo(f"{table:24} {count}")
