"""Complaints end to end (SPEC §2 "Complaints", [002 p.18–19]): a complaint names what it is
about and is accepted only where that exists; one to the head is answered (satisfied, partly,
not); one to the quality authority is forwarded with the administrative file within 3 working
days, or satisfied fully by the head in that time. The controlled clock sets the days."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from portal.clock import ALMATY
from portal.core.models import AppStatus
from portal.core.models.housing import HousingDocument
from portal.extensions import db as _db
from portal.housing.office.services import authority
from tests.web.helpers import last_sms, phone_of, sign_in
from tests.web.housing_helpers import submit, walk
from tests.web.test_office_decisions import app_id_of, audits, fresh, staff_client, text_of

pytestmark = pytest.mark.usefixtures("seeded")

# Monday 14 December 2026, 10:00 in Almaty; 16 December (Independence Day) is a holiday, so
# the 3 working days to forward end on Friday 18 December.
MONDAY = dt.datetime(2026, 12, 14, 10, 0, tzinfo=ALMATY)
FORWARD_DUE = "2026-12-18"


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=ALMATY)


def refused_preliminarily(client, clock) -> tuple[str, int]:
    clock.set(MONDAY)
    base = walk(client, "sold_recently", settlement="astana")
    assert submit(client, base, "sold_recently").status_code == 303
    app_id = app_id_of(base)
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    return base, app_id


def to_authority(client, clock, text="The ground is wrong: the sale paid for surgery."):
    base, app_id = refused_preliminarily(client, clock)
    response = client.post(f"{base}/complaint", data={
        "body": "quality_authority", "subject": "decision", "text": text})
    assert response.status_code == 303
    return base, app_id


def head_of(app):
    return staff_client(app, login="head1", role="head", settlements=("astana",))


# --- what a complaint can be about ---------------------------------------------------------

def test_a_complaint_is_accepted_only_where_there_is_something_to_complain_about(app, client):
    base = walk(client, "no_housing")
    assert submit(client, base, "no_housing").status_code == 303
    assert fresh(app_id_of(base)).status == AppStatus.IN_QUEUE
    page = text_of(client.get(f"{base}/complaint?lang=en"))
    assert "nothing on this application to complain about" in page
    assert "/complaint" not in text_of(client.get(f"{base}/done?lang=en")).split(
        "Printable receipt")[1]
    client.post(f"{base}/complaint", data={"body": "provider_head", "subject": "decision",
                                           "text": "On the list, yet I complain."})
    assert "complaints" not in fresh(app_id_of(base)).data


def test_a_delay_is_complained_about_only_once_the_due_day_passed(app, client, clock):
    base, app_id = refused_preliminarily(client, clock)
    page = text_of(client.get(f"{base}/complaint?lang=en"))
    assert "A decision (the preliminary or final refusal)" in page
    assert "A delay: the decision is late" not in page  # the hearing is not past yet
    refused = client.post(f"{base}/complaint?lang=en", data={
        "body": "provider_head", "subject": "delay", "text": "Late."})
    assert refused.status_code == 200 and "complaints" not in fresh(app_id).data
    hearing_on = dt.date.fromisoformat(fresh(app_id).data["hearing_at"][:10])
    clock.set(dt.datetime.combine(hearing_on + dt.timedelta(days=1), dt.time(10, 0),
                                  tzinfo=ALMATY))
    sign_in(client, "sold_recently")  # a day later: a new session
    assert client.post(f"{base}/complaint", data={
        "body": "provider_head", "subject": "delay", "text": "No outcome."}).status_code == 303
    [complaint] = fresh(app_id).data["complaints"]
    assert complaint["subject"] == "delay" and complaint["status_then"] == "preliminary_refusal"


# --- to the quality authority: 3 working days to forward ----------------------------------

@pytest.mark.parametrize(("when", "overdue", "left"), [
    (at(14, 11), False, "3"),
    (at(18, 18, 30), False, "0"),  # the third working day (after the 16th, a holiday)
    (at(19, 10), True, "0"),  # Saturday: past the due day, no working day between
    (at(21, 9), True, "-1"),
])
def test_a_complaint_to_the_authority_waits_on_the_heads_list_3_working_days_to_forward(
        app, client, clock, when, overdue, left):
    _base, app_id = to_authority(client, clock)
    complaint = fresh(app_id).data["complaints"][0]
    assert complaint["forward_due"] == FORWARD_DUE
    assert complaint["due"] == "2027-01-08"  # the authority's 15 working days
    clock.set(when)
    officer = staff_client(app, settlements=("astana",))
    assert fresh(app_id).number not in text_of(officer.get("/office/?kind=complaint_forward"))
    head = head_of(app)
    page = text_of(head.get("/office/?kind=complaint_forward&lang=en"))
    row = page.split(fresh(app_id).number + "</a>")[1].split("</tr>")[0]
    assert "Complaint to forward to the quality authority" in row
    assert ("Overdue" in row) is overdue
    assert row.rstrip().endswith(f"{left}</td>")


def test_the_forward_hands_the_whole_administrative_file_to_the_authority(app, client, clock):
    base, app_id = to_authority(client, clock)
    assert client.post(f"{base}/objection", data={"text": "I object."}).status_code == 303
    clock.set(at(17, 15))
    head = head_of(app)
    url = f"/office/applications/{app_id}/complaints/0/forward"
    officer = staff_client(app, settlements=("astana",))
    assert officer.post(url).status_code == 403
    assert head.post(url).status_code == 303
    complaint = fresh(app_id).data["complaints"][0]
    assert complaint["forwarded_at"].startswith("2026-12-17") and not complaint["late"]
    assert complaint["reference"].startswith("stored:")
    document = _db.session.get(HousingDocument, int(complaint["reference"].split(":")[1]))
    assert document.kind == authority.PACKAGE_KIND and document.application_id == app_id
    from portal.housing.services import documents
    package = json.loads(documents.document_content(document))
    assert sorted(package) == ["application", "audit_trail", "complaint", "decisions",
                               "documents", "forwarded_at", "forwarded_by", "hearing",
                               "signatures", "status_history", "version"]
    assert package["application"]["number"] == fresh(app_id).number
    assert package["complaint"]["text"].startswith("The ground is wrong")
    assert package["decisions"]["grounds"] and package["decisions"]["hearing_at"]
    assert [o["text"] for o in package["hearing"]["objections"]] == ["I object."]
    assert [s["purpose"] for s in package["signatures"]] == ["submit"]
    assert package["signatures"][0]["content"]  # the application as signed
    assert "preliminary_refusal" in [e["status"] for e in package["status_history"]]
    assert package["forwarded_by"] == "head1"
    [record] = audits(app_id, "housing_complaint_forwarded")
    assert record.after["complaint"]["reference"] == complaint["reference"]
    # The applicant is told: the SMS, and the page (15 working days; court after this step).
    assert "15" in last_sms(phone_of("sold_recently")).body
    sign_in(client, "sold_recently")
    page = text_of(client.get(f"{base}/done?lang=en"))
    assert "Forwarded on 2026-12-17" in page and "2027-01-08" in page and "court" in page
    # Once: a second forward changes nothing; the list no longer shows it.
    assert head.post(url).status_code == 303
    assert len(audits(app_id, "housing_complaint_forwarded")) == 1
    assert fresh(app_id).number not in text_of(head.get("/office/?kind=complaint_forward"))


def test_a_late_forward_is_still_made_and_marked_late(app, client, clock):
    _base, app_id = to_authority(client, clock)
    clock.set(at(21, 9))
    head = head_of(app)
    assert head.post(f"/office/applications/{app_id}/complaints/0/forward").status_code == 303
    assert fresh(app_id).data["complaints"][0]["late"] is True


@pytest.mark.parametrize(("when", "kept"), [
    (at(18, 23, 59), True),  # the end of the third working day
    (at(19, 0, 1), False),  # after it: only a forward
])
def test_the_head_may_satisfy_a_complaint_to_the_authority_only_within_3_working_days(
        app, client, clock, when, kept):
    base, app_id = to_authority(client, clock)
    clock.set(when)
    head = head_of(app)
    response = head.post(f"/office/applications/{app_id}/complaints/0?lang=en", data={
        "c0-outcome": "satisfied", "c0-text": "The sale paid for surgery: registered."},
        follow_redirects=True)
    application = fresh(app_id)
    complaint = application.data["complaints"][0]
    if kept:
        assert application.status == AppStatus.IN_QUEUE
        assert complaint["outcome"] == "satisfied" and "forwarded_at" not in complaint
        assert fresh(app_id).number not in text_of(head.get("/office/?kind=complaint_forward"))
        sign_in(client, "sold_recently")
        assert "The sale paid for surgery" in text_of(client.get(f"{base}/done?lang=en"))
    else:
        assert "only be forwarded now" in text_of(response)
        assert application.status == AppStatus.PRELIMINARY_REFUSAL
        assert "answered_at" not in complaint


def test_a_complaint_to_the_authority_is_kept_only_when_satisfied_fully(app, client, clock):
    _base, app_id = to_authority(client, clock)
    head = head_of(app)
    response = head.post(f"/office/applications/{app_id}/complaints/0?lang=en", data={
        "c0-outcome": "partly", "c0-text": "In part."}, follow_redirects=True)
    assert "only when it is satisfied fully" in text_of(response)
    assert "answered_at" not in fresh(app_id).data["complaints"][0]


# --- to the head: satisfied, partly, not --------------------------------------------------

def test_the_head_answers_a_complaint_partly_and_the_applicant_sees_it(app, client, clock):
    base, app_id = refused_preliminarily(client, clock)
    assert client.post(f"{base}/complaint", data={
        "body": "provider_head", "subject": "action", "text": "The hearing was too soon."}
    ).status_code == 303
    head = head_of(app)
    assert head.post(f"/office/applications/{app_id}/complaints/0", data={
        "c0-outcome": "partly", "c0-text": "The hearing moves; the ground stands."}
    ).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.PRELIMINARY_REFUSAL
    assert application.data["complaints"][0]["outcome"] == "partly"
    assert audits(app_id, "housing_complaint_partly")
    page = text_of(client.get(f"{base}/done?lang=en"))
    assert "partly satisfied" in page and "The hearing moves" in page


# --- once only, under parallel requests ------------------------------------------------------

def test_parallel_forwards_and_satisfactions_of_one_complaint_act_once(app, client, clock):
    """Six requests at once on one complaint to the authority, forwards and full satisfactions
    mixed (two tabs, two heads): exactly one acts; the others change nothing."""
    import threading

    _base, app_id = to_authority(client, clock)
    head = head_of(app)
    token = head.get_cookie("mk_staff", path="/office").value
    tabs = []
    for _ in range(6):
        tab = app.test_client()
        tab.set_cookie("mk_staff", token, path="/office")
        tabs.append(tab)
    barrier = threading.Barrier(len(tabs))
    statuses = [0] * len(tabs)

    def run(i: int):
        with app.app_context():
            barrier.wait()
            if i % 2:
                response = tabs[i].post(f"/office/applications/{app_id}/complaints/0/forward")
            else:
                response = tabs[i].post(f"/office/applications/{app_id}/complaints/0", data={
                    "c0-outcome": "satisfied", "c0-text": f"Satisfied {i}."})
            statuses[i] = response.status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tabs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert statuses == [303] * len(tabs)
    _db.session.expire_all()
    acted = audits(app_id, "housing_complaint_forwarded") + \
        audits(app_id, "housing_complaint_satisfied")
    assert len(acted) == 1
    complaint = fresh(app_id).data["complaints"][0]
    assert bool(complaint.get("forwarded_at")) != bool(complaint.get("answered_at"))
    packages = _db.session.scalars(sa.select(HousingDocument).where(
        HousingDocument.application_id == app_id,
        HousingDocument.kind == authority.PACKAGE_KIND)).all()
    assert len(packages) == (1 if complaint.get("forwarded_at") else 0)
