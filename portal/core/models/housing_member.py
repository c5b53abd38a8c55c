"""A list member's own records beside their entry (migration mb1e2m3b4r01): the place over time
(and the days the job kept them) and the akimat's list a place was moved from
(portal.domain.housing.membership)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.models.base import UtcDateTime, _now
from portal.extensions import db


class PlaceSnapshot(db.Model):
    """The place of one entry on one day, kept only when it changed (membership.snapshot_needed):
    the chart on the member's page reads these."""

    __tablename__ = "housing_place_snapshot"
    __table_args__ = (sa.UniqueConstraint("entry_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("housing_queue_entry.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[dt.date]
    position: Mapped[int | None]
    total: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16))
    taken_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)


class QueueTransfer(db.Model):
    """A place moved to the bank's list from an akimat's: the akimat's number and the date the
    registration counted from there."""

    __tablename__ = "housing_queue_transfer"

    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("housing_queue_entry.id", ondelete="CASCADE"), primary_key=True)
    akimat_settlement: Mapped[str] = mapped_column(sa.String(32))
    akimat_number: Mapped[int]
    akimat_date: Mapped[dt.date]
    moved_on: Mapped[dt.date]


class SnapshotRun(db.Model):
    """The day the job kept every member's place (member.snapshot_places): later runs that day
    do nothing (the job runs every few minutes)."""

    __tablename__ = "housing_snapshot_run"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    finished_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_now)
