"""`flask demo seed`: fill the stand-in registries with the demo people (safe to run again)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for the stand-in state registries.")


@demo_cli.command("seed")
def seed() -> None:
    """Create or refresh the demo people, dwellings and service centres."""
    from demo_registries.seed import DEMO_PEOPLE, seed_demo
    from portal.housing.office.staff.demo import seed_demo_cases, seed_demo_staff

    for table, count in seed_demo().items():
        click.echo(f"{table:24} {count}")
    click.echo(f"{'staff_member':24} {seed_demo_staff()}")  # the demo office (README)
    # The office's work: an emergency review, a hearing and a complaint (README).
    people = {p["key"]: p["iin"] for p in DEMO_PEOPLE}
    click.echo(f"{'housing applications':24} +{seed_demo_cases(people)}")
    # Members moved from the akimats' lists, for the member's page (README).
    from demo_registries.members import seed_members

    click.echo(f"{'list members moved':24} +{seed_members()}")


@demo_cli.command("children")
def children() -> None:
    """The demo children as seeded: their IINs follow the day the demo was first seeded (their
    ages stay right), so README and docs/demo-people.md cannot print them."""
    from demo_registries.seed import PEOPLE, Ago, seeded_iin

    for person in PEOPLE:
        if isinstance(person.born, Ago):
            iin = seeded_iin(person)
            if iin:
                click.echo(f"{iin}  {person.surname} {person.given_name}  {person.phone or '-'}")


@demo_cli.command("queue")
@click.option("--entries", type=click.IntRange(1, 10_000_000), default=1000, show_default=True,
              help="Queue entries to add, spread over the lists.")
@click.option("--lists", type=click.IntRange(1, 100_000), default=300, show_default=True,
              help="How many lists (settlement x list code) to spread them over.")
def queue(entries: int, lists: int) -> None:
    """Fill housing lists with anonymous entries (no application behind them), for scale demos
    and `bench/housing_queue.py`. Adds to what is there; numbers continue each list's counter."""
    from demo_registries.queue import fill, moved

    before = moved()
    added = fill(entries, lists)
    click.echo(f"housing_queue_entry +{added} in {lists} lists "
               f"({moved() - before} moved from akimats' lists)")
