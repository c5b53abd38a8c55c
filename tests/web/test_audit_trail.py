"""The audit trail answers an inspector's questions (SPEC §2, the office): who saw which
personal file when (reads of an application's page and documents are recorded, not only
changes), one application's trail as a download for the head, and no route can change or
delete a record."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from portal.extensions import db as _db
from portal.housing.office.staff.models import StaffAudit
from tests.web.test_office_decisions import audits, file_case, staff_client, text_of

pytestmark = pytest.mark.usefixtures("seeded")

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def test_a_staff_members_reads_of_an_application_and_its_files_are_recorded(app, client):
    _base, app_id = file_case(client)
    officer = staff_client(app)
    assert officer.get(f"/office/applications/{app_id}").status_code == 200
    page = text_of(officer.get(f"/office/applications/{app_id}"))
    document_id = int(page.split(f"/office/applications/{app_id}/documents/")[1].split('"')[0])
    assert officer.get(f"/office/applications/{app_id}/documents/{document_id}"
                       ).status_code == 200
    views = audits(app_id, "housing_application_viewed")
    assert [(v.login, v.application_id) for v in views] == [("officer1", app_id)] * 2
    [download] = audits(app_id, "housing_document_viewed")
    assert download.after == {"document_id": document_id, "kind": "conclusion"}
    # A page outside the staff member's settlements is not served, so nothing is read.
    other = staff_client(app, login="officer2", settlements=("almaty",))
    assert other.get(f"/office/applications/{app_id}").status_code == 404
    assert {v.login for v in audits(app_id, "housing_application_viewed")} == {"officer1"}


def test_the_head_exports_one_applications_trail_as_csv_or_json(app, client):
    _base, app_id = file_case(client)
    officer = staff_client(app)
    officer.get(f"/office/applications/{app_id}")
    officer.post(f"/office/applications/{app_id}/register")
    assert officer.get(f"/office/audit/export?application={app_id}").status_code == 403
    head = staff_client(app, login="head1", role="head", settlements=("almaty",))
    response = head.get(f"/office/audit/export?application={app_id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"audit-{app_id}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["action"] for r in rows] == ["housing_application_viewed", "housing_register"]
    assert json.loads(rows[1]["after"])["status"] == "in_queue"
    exported = head.get(f"/office/audit/export?application={app_id}&format=json").get_json()
    assert exported["application_id"] == app_id
    assert [r["action"] for r in exported["records"]] == [
        "housing_application_viewed", "housing_register", "housing_audit_exported"]
    assert "/office/audit/export?application=" in text_of(
        head.get(f"/office/audit?application={app_id}"))


def _snapshot() -> dict:
    _db.session.expire_all()
    return {r.id: (r.at, r.login, r.action, r.application_id, r.before, r.after, r.ip)
            for r in _db.session.scalars(sa.select(StaffAudit))}


def test_no_route_changes_or_deletes_an_audit_record(app, client):
    """Every route, every method, with each record's id and the application's in every URL
    argument, as the head and as the applicant: the records there before are all there after,
    unchanged (the trail only grows)."""
    _base, app_id = file_case(client)
    head = staff_client(app, login="head1", role="head", settlements=("karaganda",))
    head.get(f"/office/applications/{app_id}")
    head.post(f"/office/applications/{app_id}/register")
    before = _snapshot()
    assert len(before) >= 3
    ids = sorted({app_id, *before})
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("office.sign_out", "auth.sign_out", "kiosk.finish", "static"):
            continue  # they end the session the rest of the walk needs
        for method in sorted(set(rule.methods) & set(METHODS)):
            for value in ids:
                with app.test_request_context():
                    from flask import url_for
                    url = url_for(rule.endpoint, **{name: value for name in rule.arguments})
                for who in (head, client):
                    who.open(url, method=method,
                             data={"id": value, "application": value}).close()
    after = _snapshot()
    assert {k: after[k] for k in before} == before
