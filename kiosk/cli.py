"""`flask kiosk add|list|revoke`: a ЦОН's administrator manages the hall's kiosks."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from kiosk import devices
from portal.core.services.notices import public_url_for

kiosk_cli = AppGroup("kiosk", help="Self-service kiosks in ЦОН halls.")


@kiosk_cli.command("add")
@click.argument("name")
def add(name: str) -> None:
    """Create a kiosk and print its one-time enrolment link (open it on the kiosk)."""
    if not name.strip():
        raise click.BadParameter("the kiosk needs a name, e.g. \"ЦОН Алматы, Бостандық №1\"")
    device, token = devices.add(name)
    click.echo(f"kiosk {device.id}: {device.name}")
    hours = int(devices.ENROL_LINK_LIFETIME.total_seconds() // 3600)
    click.echo(f"enrolment link (open it once on the kiosk, within {hours} h):")
    click.echo(public_url_for("kiosk.enrol", token=token))


@kiosk_cli.command("list")
def list_() -> None:
    """Every kiosk with its state (waiting for enrolment, enrolled, revoked)."""
    for device in devices.all_devices():
        seen = device.last_seen_at.isoformat(timespec="minutes") if device.last_seen_at else "-"
        click.echo(f"{device.id}\t{device.state}\t{seen}\t{device.name}")


@kiosk_cli.command("revoke")
@click.argument("kiosk_id", type=int)
def revoke(kiosk_id: int) -> None:
    """Stop a kiosk at once: its next request is refused."""
    if not devices.revoke(kiosk_id):
        raise click.ClickException(f"no active kiosk {kiosk_id}")
    click.echo(f"kiosk {kiosk_id} revoked")
