"""The decision date a submitted housing application promises, in Almaty working days, at the
edges: a weekend, a public holiday, a Sunday the government made a working day, 18:29:59 against
18:30:00 (SPEC §2 "Deadlines")."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.clock import ALMATY
from portal.core.models import Application
from portal.domain.working_days import is_working_day
from portal.extensions import db
from tests.web.housing_helpers import submit, walk

pytestmark = pytest.mark.usefixtures("seeded")


def almaty(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


CASES = [
    # (submitted at, in Almaty; case; the decision is due by)
    (almaty(2026, 11, 23, 10, 0), "no_housing", dt.date(2026, 11, 24)),  # Monday -> Tuesday
    (almaty(2026, 11, 27, 18, 29, 59), "no_housing", dt.date(2026, 11, 30)),  # Fri in hours
    (almaty(2026, 11, 27, 18, 30, 0), "no_housing", dt.date(2026, 12, 1)),  # Fri after hours
    (almaty(2026, 11, 28, 11, 0), "no_housing", dt.date(2026, 12, 1)),  # Saturday
    (almaty(2026, 11, 27, 18, 30, 0), "emergency", dt.date(2026, 12, 3)),  # 3 working days
    (almaty(2026, 12, 16, 10, 0), "no_housing", dt.date(2026, 12, 18)),  # Independence Day
    (almaty(2025, 1, 5, 10, 0), "no_housing", dt.date(2025, 1, 6)),  # a Sunday worked
]


@pytest.mark.parametrize(("moment", "case", "due"), CASES,
                         ids=[f"{c[0]:%Y-%m-%d_%H%M%S}-{c[1]}" for c in CASES])
def test_the_decision_date_at_submission(client, clock, moment, case, due):
    assert is_working_day(dt.date(2025, 1, 5)) and not is_working_day(dt.date(2026, 12, 16))
    clock.set(moment.astimezone(dt.UTC))
    key = "emergency" if case == "emergency" else "no_housing"
    base = walk(client, key, case=case)
    assert submit(client, base, key).status_code == 303
    db.session.expire_all()
    application = db.session.get(Application, int(base.rsplit("/", 1)[1]))
    assert application.data["decision_due"] == due.isoformat()
    page = client.get(f"{base}/done?lang=en").get_data(as_text=True)
    assert f"{due:%b} {due.day}, {due.year}" in page
