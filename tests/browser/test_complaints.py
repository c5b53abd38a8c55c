"""Complaints to the quality authority in a real browser, JavaScript off, every page checked
with axe [002 p.19]: (a) the head forwards it within the 3 working days, with the
administrative file as one package; (b) the head satisfies it fully in that time instead."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_office_decisions import (
    HEAD_SECRET,
    _citizen_signs_in,
    _demo_cases,
    _staff_signs_in,
)


@pytest.fixture
def live_app_config(live_app_config, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads")}


def _complaint_to_the_authority(new_context, live_app, assert_accessible):
    from demo_registries.seed import DEMO_PEOPLE

    app_id, number, iin = _demo_cases(live_app)["sold_recently"]
    phone = next(p["phone"] for p in DEMO_PEOPLE if p["iin"] == iin)
    citizen = _citizen_signs_in(new_context(locale="en-GB", java_script_enabled=False),
                                iin, phone)
    citizen.goto(f"/housing/{app_id}/complaint?lang=en")
    assert_accessible(citizen, "the complaint form")
    citizen.check('input[name="subject"][value="decision"]')
    citizen.check('input[name="body"][value="quality_authority"]')
    citizen.fill("#text", "The sale paid for my father's surgery; ground 2 does not apply.")
    citizen.get_by_role("button", name="Send the complaint").click()
    citizen.wait_for_url(f"**/housing/{app_id}/done**")
    assert "The provider forwards it to the authority" in citizen.locator("main").inner_text()
    return app_id, number, citizen


def _heads_case(new_context, live_clock, number, app_id, assert_accessible):
    head = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False),
                           "browser-head", HEAD_SECRET, live_clock)
    head.goto("/office/?kind=complaint_forward&lang=en")
    row = head.locator("tr", has_text=number).inner_text()
    assert "Complaint to forward to the quality authority" in row
    assert row.rstrip().endswith("3")  # working days left to forward
    assert_accessible(head, "the work list with a complaint to forward")
    head.get_by_role("link", name=number).click()
    head.wait_for_url(f"**/office/applications/{app_id}")
    assert_accessible(head, "a complaint to the quality authority")
    return head


def test_a_complaint_to_the_authority_is_forwarded_in_time_with_its_package(
        new_context, live_app, live_clock, assert_accessible, screenshot):
    app_id, number, citizen = _complaint_to_the_authority(new_context, live_app,
                                                          assert_accessible)
    head = _heads_case(new_context, live_clock, number, app_id, assert_accessible)
    head.get_by_role("button", name="Forward to the quality authority").click()
    head.wait_for_url(f"**/office/applications/{app_id}")
    assert "forwarded to the quality authority" in head.locator("main").inner_text()
    screenshot(head, "office-complaint-forwarded-360")
    assert_accessible(head, "after the forward")
    with live_app.app_context():
        from portal.core.models import Application
        from portal.core.models.housing import HousingDocument
        from portal.extensions import db
        from portal.housing.services import documents

        complaint = db.session.get(Application, app_id).data["complaints"][-1]
        assert complaint["forwarded_at"] and not complaint["late"]
        document = db.session.get(HousingDocument, int(complaint["reference"].split(":")[1]))
        package = json.loads(documents.document_content(document))
        db.session.remove()
    # What the authority gets: the complaint and the whole administrative file.
    assert sorted(package) == ["application", "audit_trail", "complaint", "decisions",
                               "documents", "forwarded_at", "forwarded_by", "hearing",
                               "signatures", "status_history", "version"]
    assert package["complaint"]["text"].startswith("The sale paid for my father's surgery")
    assert package["application"]["number"] == number
    # The demo files its cases without the SMS signature (the web test checks the signed one).
    assert isinstance(package["signatures"], list)
    assert package["decisions"]["grounds"]
    assert "preliminary_refusal" in [e["status"] for e in package["status_history"]]
    assert "housing_application_viewed" in [a["action"] for a in package["audit_trail"]]
    citizen.goto(f"/housing/{app_id}/done?lang=en")
    done = citizen.locator("main").inner_text()
    assert "Forwarded on" in done and "15 working days" in done and "court" in done
    assert_accessible(citizen, "the applicant's page after the forward")


def test_a_complaint_to_the_authority_satisfied_by_the_head_within_3_days(
        new_context, live_app, live_clock, assert_accessible, screenshot):
    app_id, number, citizen = _complaint_to_the_authority(new_context, live_app,
                                                          assert_accessible)
    head = _heads_case(new_context, live_clock, number, app_id, assert_accessible)
    head.fill("#c0-text", "The sale paid for surgery: registered, the complaint is satisfied.")
    head.get_by_role("button", name="Satisfy fully (not forwarded)").click()
    head.wait_for_url(f"**/office/applications/{app_id}")
    assert_accessible(head, "after satisfying the complaint")
    head.goto("/office/?kind=complaint_forward&lang=en")
    assert number not in head.locator("main").inner_text()
    with live_app.app_context():
        from portal.core.models import Application, AppStatus
        from portal.extensions import db

        application = db.session.get(Application, app_id)
        assert application.status == AppStatus.IN_QUEUE
        complaint = application.data["complaints"][-1]
        assert complaint["outcome"] == "satisfied" and "forwarded_at" not in complaint
        db.session.remove()
    citizen.goto(f"/housing/{app_id}/done?lang=en")
    done = citizen.locator("main").inner_text()
    assert "Your complaint is satisfied" in done and "registered, the complaint" in done
    screenshot(citizen, "complaint-satisfied-by-the-head-360")
    assert_accessible(citizen, "the applicant's page after the answer")
