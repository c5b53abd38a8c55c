"""The office acts on what comes from the list after registration [issue 19 points 6 and 8]:
a re-check a family change raised — the grounds confirmed is the preliminary refusal with a
hearing [002 p.17] (the entry suspended while it runs, restored or closed after it), no ground
after all closes it with a motivation — and a category request the registries did not confirm
[002 p.9] — confirmed moves the entry with its original date, not confirmed keeps it, with the
reason. Audited, told to the applicant, one decision of parallel clicks."""

from __future__ import annotations

import pytest

from portal.core.models import AppStatus
from portal.housing.services import housing_queue
from tests.support import builders
from tests.web.helpers import iin, last_sms, phone_of, sign_in
from tests.web.test_office_decisions import (
    at_hearing,
    audits,
    entries,
    fresh,
    in_parallel,
    staff_client,
)

pytestmark = pytest.mark.usefixtures("seeded")

REFUSAL = {"grounds": ["owned_in_five_years"], "motivation": "The spouse sold a flat in 2023.",
           "way": "online"}


def with_recheck(app, client) -> int:
    """On the list; the applicant then adds a spouse who sold a flat 3 years ago (ground 2)."""
    application = builders.housing_on_the_list(iin("no_housing"))
    sign_in(client, "no_housing")
    assert client.post(f"/housing/{application.id}/update-family", data={
        "action": "add", "iin": iin("sold_recently"), "relation": "spouse"}).status_code == 303
    assert fresh(application.id).data["recheck"]["grounds"] == ["owned_in_five_years"]
    return application.id


def officer_for(app, app_id: int):
    return staff_client(app, settlements=(fresh(app_id).data["settlement"],))


def test_recheck_grounds_confirmed_is_a_preliminary_refusal_with_a_hearing_entry_suspended(
        app, client):
    app_id = with_recheck(app, client)
    [entry] = entries(app_id)
    number = entry.number
    office = officer_for(app, app_id)
    assert "Re-check after a family change" in office.get(
        f"/office/applications/{app_id}?lang=en").get_data(as_text=True)
    response = office.post(f"/office/applications/{app_id}/preliminary-refusal", data=REFUSAL)
    assert response.status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.PRELIMINARY_REFUSAL
    assert application.data["hearing_at"] and application.data["recheck"]["resolved_at"]
    assert application.data["entry_state"]["reason"] == "data_not_confirmed"
    [entry] = entries(app_id)
    assert entry.status == "suspended" and entry.number == number
    assert len(audits(app_id, "housing_preliminary_refusal")) == 1
    assert application.number in last_sms(phone_of("no_housing")).body
    # Off the work list as a re-check; on it as a hearing.
    listed = office.get("/office/?kind=recheck&lang=en").get_data(as_text=True)
    assert application.number not in listed

    # After the hearing, kept: the same entry, active again, the same number; no second one.
    at_hearing(app, app_id, office)
    response = office.post(f"/office/applications/{app_id}/hearing", data={
        "outcome": "registered", "participants": "The applicant; the officer"})
    assert response.status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.IN_QUEUE and "from_list" not in application.data
    [entry] = entries(app_id)
    assert entry.status == "active" and entry.number == number


def test_recheck_refused_after_the_hearing_closes_the_entry(app, client):
    app_id = with_recheck(app, client)
    office = officer_for(app, app_id)
    assert office.post(f"/office/applications/{app_id}/preliminary-refusal",
                       data=REFUSAL).status_code == 303
    at_hearing(app, app_id, office)
    response = office.post(f"/office/applications/{app_id}/hearing", data={
        "outcome": "refused", "motivation": "Ground 2 stands.",
        "participants": "The applicant; the officer"})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert fresh(app_id).status == AppStatus.REFUSED
    [entry] = entries(app_id)
    assert entry.status == "closed"


def test_a_recheck_with_no_ground_is_closed_only_with_a_motivation(app, client):
    app_id = with_recheck(app, client)
    office = officer_for(app, app_id)
    url = f"/office/applications/{app_id}/recheck/close"
    office.post(url, data={"recheck-motivation": ""})
    assert not fresh(app_id).data["recheck"].get("resolved_at")
    assert audits(app_id, "housing_recheck_closed") == []
    assert office.post(url, data={"recheck-motivation": "The sale was in 2019."}).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.IN_QUEUE
    assert application.data["recheck"]["outcome"] == "no_ground"
    assert application.data["rechecks"][0]["outcome"] == "no_ground"
    [entry] = entries(app_id)
    assert entry.status == "active"
    [record] = audits(app_id, "housing_recheck_closed")
    assert record.after["recheck"]["note"] == "The sale was in 2019."
    sms = last_sms(phone_of("no_housing")).body
    assert application.number in sms and "негіз" in sms  # in the language of submission
    assert application.number not in office.get("/office/?kind=recheck").get_data(as_text=True)


def test_parallel_closings_of_one_recheck_record_one(app, client, db):
    app_id = with_recheck(app, client)
    office = officer_for(app, app_id)
    statuses = in_parallel(app, office, 6, f"/office/applications/{app_id}/recheck/close",
                           lambda i: {"recheck-motivation": f"No ground ({i})."})
    assert statuses == [303] * 6
    db.session.expire_all()
    assert len(audits(app_id, "housing_recheck_closed")) == 1


def with_category_request(app, client) -> int:
    application = builders.housing_on_the_list(iin("no_housing"))
    sign_in(client, "no_housing")
    assert client.post(f"/housing/{application.id}/recheck-category",
                       data={"category": "disabled"}).status_code == 303
    assert fresh(application.id).data["category_requests"][0]["outcome"] == "not_confirmed"
    return application.id


def test_a_category_the_office_confirms_moves_the_entry_with_its_original_date(app, client):
    app_id = with_category_request(app, client)
    [entry] = entries(app_id)
    submitted = entry.submitted_at
    office = officer_for(app, app_id)
    listed = office.get("/office/?kind=category&lang=en").get_data(as_text=True)
    assert fresh(app_id).number in listed
    response = office.post(f"/office/applications/{app_id}/category/0",
                           data={"k0-decision": "confirm", "k0-reason": ""})
    assert response.status_code == 303
    [moved] = entries(app_id)
    assert moved.list_code == "disabled" and moved.submitted_at == submitted
    data = fresh(app_id).data
    assert data["list_code"] == "disabled" and data["queue_number"] == moved.number
    assert data["category_requests"][0]["outcome"] == "confirmed_by_office"
    assert len(audits(app_id, "housing_category_confirmed")) == 1
    assert fresh(app_id).number in last_sms(phone_of("no_housing")).body
    assert fresh(app_id).number not in office.get("/office/?kind=category").get_data(
        as_text=True)


def test_a_category_not_confirmed_stays_with_the_reason(app, client):
    app_id = with_category_request(app, client)
    office = officer_for(app, app_id)
    url = f"/office/applications/{app_id}/category/0"
    office.post(url, data={"k0-decision": "refuse", "k0-reason": ""})
    assert not fresh(app_id).data["category_requests"][0].get("resolved_at")
    assert office.post(url, data={"k0-decision": "refuse",
                                  "k0-reason": "No disability certificate."}).status_code == 303
    request = fresh(app_id).data["category_requests"][0]
    assert request["outcome"] == "refused_by_office"
    assert request["reason"] == "No disability certificate."
    [entry] = entries(app_id)
    assert entry.list_code == "general"
    assert len(audits(app_id, "housing_category_refused")) == 1
    # A second answer to the same request changes nothing.
    office.post(url, data={"k0-decision": "confirm"})
    assert housing_queue.entry_of(fresh(app_id)).list_code == "general"


def test_parallel_decisions_on_one_category_request_record_one(app, client, db):
    app_id = with_category_request(app, client)
    office = officer_for(app, app_id)
    statuses = in_parallel(app, office, 6, f"/office/applications/{app_id}/category/0",
                           lambda i: {"k0-decision": "confirm"})
    assert statuses == [303] * 6
    db.session.expire_all()
    assert len(audits(app_id, "housing_category_confirmed")) == 1
    assert len(entries(app_id)) == 1
