"""`flask demo queue` fills many lists; numbering continues without a gap afterwards."""

from __future__ import annotations

import sqlalchemy as sa

from demo_registries.cli import demo_cli
from portal.core.models.housing import QueueEntry
from portal.domain.housing.queue import ListKey
from portal.housing.services import housing_queue


def test_demo_queue_fills_lists_and_the_counters_follow(app, db):
    result = app.test_cli_runner().invoke(demo_cli, ["queue", "--entries", "400",
                                                     "--lists", "70"])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(sa.select(QueueEntry.settlement_code, QueueEntry.list_code,
                                        sa.func.count(), sa.func.max(QueueEntry.number))
                              .group_by(QueueEntry.settlement_code, QueueEntry.list_code)).all()
    assert sum(r[2] for r in rows) == 400 and 40 < len(rows) <= 70
    assert all(count == highest for _, _, count, highest in rows), "gapless from 1"
    settlement, code, count, _ = rows[0]
    assert housing_queue.next_number(ListKey(settlement, code)) == count + 1


def test_demo_queue_moves_a_share_of_the_older_entries_from_akimats(app, db):
    """Issue 22: members moved from an akimat's list at scale, each with the akimat's number and
    the day its registration counts from; none registered after the move."""
    from demo_registries.queue import MOVED_ON, MOVED_SHARE
    from portal.clock import as_utc
    from portal.core.models.housing_member import QueueTransfer

    result = app.test_cli_runner().invoke(demo_cli, ["queue", "--entries", "2000",
                                                     "--lists", "20"])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(sa.select(QueueEntry, QueueTransfer).join(
        QueueTransfer, QueueTransfer.entry_id == QueueEntry.id)).all()
    before = sum(as_utc(moment).date() < MOVED_ON
                 for moment in db.session.scalars(sa.select(QueueEntry.submitted_at)))
    assert f"({len(rows)} moved from akimats' lists)" in result.output
    assert abs(len(rows) - MOVED_SHARE * before) < 0.05 * before
    for entry, transfer in rows:
        assert as_utc(entry.submitted_at).date() == transfer.akimat_date < MOVED_ON
        assert transfer.moved_on == MOVED_ON and transfer.akimat_number > 0
        assert transfer.akimat_settlement == entry.settlement_code
