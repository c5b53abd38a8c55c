"""Who opens office pages: only signed-in staff, never a citizen's session; the audit trail
is the head's, and it cannot be changed."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.housing.office.staff import audit
from portal.housing.office.staff.models import AppendOnlyError, StaffAudit
from tests.web.helpers import sign_in
from tests.web.office_helpers import make_staff, staff_sign_in
from tests.web.pages import check_page, text_of

OPEN_TO_ALL = {"office.sign_in", "office.setup", "office.setup_qr", "office.sign_out"}


def office_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/office")]


def example_url(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)


def assert_refused(response):
    """Refused: sent to the office sign-in, or 403; never an office page."""
    if response.status_code == 302:
        assert response.location.endswith("/office/sign-in")
    else:
        assert response.status_code == 403, response.status_code


def test_every_office_route_is_guarded(app):
    for rule in office_rules(app):
        if rule.endpoint not in OPEN_TO_ALL:
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "staff_required", False), f"{rule.endpoint} has no staff_required"


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_every_office_route_refuses_anyone_but_staff(seeded, client, who):
    if who == "citizen":
        sign_in(client, "one_owner_applicant")
        assert client.get("/cabinet").status_code == 200
    checked = 0
    for rule in office_rules(seeded):
        if rule.endpoint in OPEN_TO_ALL:
            continue
        url = example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert_refused(client.open(url, method=method))
            checked += 1
    assert checked >= 2


def test_the_sign_in_page_to_a_signed_in_citizen_shows_no_office_data(seeded, client):
    make_staff()
    sign_in(client, "one_owner_applicant")
    page = check_page(client.get("/office/sign-in?lang=en"), "en")
    assert page.select_one('form[action="/office/sign-in"]')
    assert "My applications" not in text_of(page)  # the office header, not the citizen's


def test_a_staff_session_is_no_citizen_session(seeded, client):
    make_staff()
    staff_sign_in(client)
    assert client.get("/cabinet").status_code == 302  # to the citizens' sign-in
    home = text_of(check_page(client.get("/?lang=en"), "en"))
    assert "My applications" not in home and "Test Officer" not in home


def test_the_audit_trail_is_for_the_head_only(app, client, db):
    make_staff("officer1")
    make_staff("boss", role="head", settlements=("almaty", "astana"))
    staff_sign_in(client, "officer1")
    assert client.get("/office/audit?application=5").status_code == 403
    head = app.test_client()
    staff_sign_in(head, "boss")
    officer = db.session.scalar(sa.select(audit.StaffMember).where(
        audit.StaffMember.login == "officer1"))
    audit.record(officer, "register", application_id=5, before={"status": "emergency_review"},
                 after={"status": "registered", "queue_number": 12}, ip="10.0.0.7")
    audit.record(officer, "register", application_id=6, after={"status": "registered"})
    db.session.commit()
    page = check_page(head.get("/office/audit?application=5&lang=en"), "en")
    rows = page.select("tbody tr")
    assert len(rows) == 1
    assert "officer1" in rows[0].get_text() and "queue_number" in rows[0].get_text()
    assert "10.0.0.7" in rows[0].get_text()
    latest = text_of(check_page(head.get("/office/audit?lang=en"), "en"))
    assert "Signed in" in latest and "boss" in latest


def test_a_bad_application_number_is_a_clear_error(app, client):
    make_staff("boss", role="head")
    staff_sign_in(client, "boss")
    response = client.get("/office/audit?application=-3&lang=en")
    assert response.status_code == 200
    assert "Enter an application number" in response.get_data(as_text=True)


def test_audit_records_cannot_be_changed_or_deleted(app, db):
    member = make_staff()
    row = audit.record(member, "register", application_id=1, after={"status": "registered"})
    db.session.commit()
    row.action = "nothing_happened"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(StaffAudit, row.id))
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(sa.update(StaffAudit).values(action="x"))
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(sa.delete(StaffAudit))
    db.session.rollback()
    assert db.session.get(StaffAudit, row.id).action == "register"


def test_postgresql_refuses_raw_sql_changes_too(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    member = make_staff()
    audit.record(member, "register", application_id=1)
    db.session.commit()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("UPDATE staff_audit SET action = 'x'"))
    db.session.rollback()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("DELETE FROM staff_audit"))
    db.session.rollback()
