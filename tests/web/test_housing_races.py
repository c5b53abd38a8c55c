"""Many applications registered at once (SQLite here; PostgreSQL with `make test-postgres`):
queue numbers per list stay unique and gapless, and positions follow the order of submission."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from portal.core.models import Application, AppStatus
from portal.core.models.housing import QueueEntry
from portal.housing.services import housing_queue
from tests.web.helpers import code_in, last_sms, phone_of
from tests.web.housing_helpers import walk

pytestmark = pytest.mark.usefixtures("seeded")

# Two people for the Almaty general list, one for Astana's, two for Shymkent's (one person holds
# one place in a list: a second draft of the same person is refused, test_application_data_races).
PEOPLE = [("no_housing", "almaty"), ("orphan", "almaty"), ("without_care", "astana"),
          ("kandas", "shymkent"), ("large_family", "shymkent")]


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def test_parallel_registrations_get_gapless_unique_numbers_per_list(app, db):
    ready = []
    for key, settlement in PEOPLE:
        client = app.test_client()
        base = walk(client, key, settlement=settlement)
        assert client.post(f"{base}/send-code").status_code == 303
        ready.append((client, base, code_in(last_sms(phone_of(key)))))
    barrier = threading.Barrier(len(ready))
    statuses = [0] * len(ready)

    def run(i: int):
        client, base, code = ready[i]
        with app.app_context():
            barrier.wait()
            statuses[i] = client.post(f"{base}/submit", data={"code": code}).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(ready))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert statuses == [303] * len(ready)
    db.session.expire_all()
    apps = db.session.scalars(sa.select(Application)).all()
    assert {a.status for a in apps} == {AppStatus.IN_QUEUE}
    assert len({a.number for a in apps}) == len(apps)
    for settlement, size in (("almaty", 2), ("astana", 1), ("shymkent", 2)):
        entries = db.session.scalars(sa.select(QueueEntry).where(
            QueueEntry.settlement_code == settlement, QueueEntry.list_code == "general")).all()
        assert sorted(e.number for e in entries) == list(range(1, size + 1))
        positions = sorted(housing_queue.position(e) for e in entries)
        assert positions == list(range(1, size + 1))
        assert positions == sorted(housing_queue.counted_position(e) for e in entries)
        assert housing_queue.total(settlement, "general") == size
