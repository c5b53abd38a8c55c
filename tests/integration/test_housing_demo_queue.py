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
