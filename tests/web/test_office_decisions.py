"""The housing office's decisions in the test client, on the real database with the frozen
clock (SPEC §2): the emergency review, the preliminary refusal and its hearing, the head's
answer to a complaint, who may see and act, the audit trail, double clicks and races."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from portal.clock import ALMATY
from portal.core.models import Application, AppStatus
from portal.core.models.housing import QueueEntry
from portal.extensions import db as _db
from portal.housing.office.staff.models import StaffAudit
from tests.support import builders
from tests.web.helpers import iin, last_sms, phone_of, sign_in
from tests.web.housing_helpers import PDF, _file, submit, walk
from tests.web.office_helpers import make_staff, staff_sign_in
from tests.web.pages import LANGS, check_page

pytestmark = pytest.mark.usefixtures("seeded")

# A complaint to the head about the decision (the form names both).
HEAD = {"body": "provider_head", "subject": "decision"}


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def fresh(app_id: int) -> Application:
    _db.session.expire_all()
    return _db.session.get(Application, app_id)


def app_id_of(base: str) -> int:
    return int(base.rsplit("/", 1)[1])


def file_case(client, key="emergency", case="emergency", settlement=None) -> tuple[str, int]:
    """A citizen files an application; returns its base URL and id."""
    base = walk(client, key, case=case, settlement=settlement)
    assert submit(client, base, key).status_code == 303
    return base, app_id_of(base)


def filed(client, key="emergency", case="emergency", settlement=None) -> tuple[str, int]:
    """As file_case, built through the services (builders); the citizen signed in on `client`.
    file_case's HTTP walk stays in one test per path."""
    application = builders.filed_housing_application(iin(key), case=case, settlement=settlement)
    sign_in(client, key)
    return f"/housing/{application.id}", application.id


def staff_client(app, login="officer1", role="officer", settlements=("karaganda",)):
    make_staff(login=login, role=role, settlements=settlements)
    client = app.test_client()
    staff_sign_in(client, login=login)
    return client


def audits(app_id: int, action: str | None = None) -> list[StaffAudit]:
    query = sa.select(StaffAudit).where(StaffAudit.application_id == app_id)
    if action:
        query = query.where(StaffAudit.action == action)
    return list(_db.session.scalars(query.order_by(StaffAudit.id)))


def entries(app_id: int) -> list[QueueEntry]:
    return list(_db.session.scalars(sa.select(QueueEntry).where(
        QueueEntry.application_id == app_id)))


# --- the emergency review ----------------------------------------------------------------------

def test_officer_registers_an_emergency_case_and_the_citizen_sees_the_number(app, client):
    base, app_id = file_case(client)
    assert fresh(app_id).status == AppStatus.UNDER_REVIEW
    office = staff_client(app)
    listed = text_of(office.get("/office/?lang=en"))
    assert fresh(app_id).number in listed and "Emergency review" in listed
    page = text_of(office.get(f"/office/applications/{app_id}?lang=en"))
    assert "c.pdf" in page and "The registries show no ground for refusal" in page

    response = office.post(f"/office/applications/{app_id}/register")
    assert response.status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.IN_QUEUE and application.closed_at is None
    number = application.data["queue_number"]
    assert [e.number for e in entries(app_id)] == [number]
    sms = last_sms(phone_of("emergency"))
    assert application.number in sms.body and "/s/" in sms.body
    done = text_of(client.get(f"{base}/done?lang=en"))
    assert "On the list" in done and f"<dd>{number}</dd>" in done
    [record] = audits(app_id, "housing_register")
    assert record.before["status"] == "under_review" and record.after["status"] == "in_queue"
    assert record.after["queue_number"] == number and record.login == "officer1"
    assert "Nothing is awaiting you yet" in text_of(office.get("/office/?lang=en"))


def test_the_uploaded_conclusion_is_a_download_for_its_settlement_only(app, client):
    _base, app_id = filed(client)
    office = staff_client(app)
    page = text_of(office.get(f"/office/applications/{app_id}"))
    link = page.split(f"/office/applications/{app_id}/documents/")[1].split('"')[0]
    url = f"/office/applications/{app_id}/documents/{link}"
    response = office.get(url)
    assert response.status_code == 200 and response.data == PDF
    # Named by its kind and real type, not the citizen's file name (hardening item 10).
    assert response.headers["Content-Disposition"] == f"attachment; filename=conclusion-{link}.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    elsewhere = staff_client(app, login="astana1", settlements=("astana",))
    assert elsewhere.get(url).status_code == 404
    assert elsewhere.get(f"/office/applications/{app_id}").status_code == 404
    assert elsewhere.post(f"/office/applications/{app_id}/register").status_code == 404
    assert fresh(app_id).status == AppStatus.UNDER_REVIEW
    assert "Nothing is awaiting you yet" in text_of(elsewhere.get("/office/?lang=en"))
    assert office.get(f"/office/applications/{app_id}/documents/999").status_code == 404


def test_a_preliminary_refusal_needs_grounds_and_a_motivation(app, client):
    _base, app_id = filed(client)
    office = staff_client(app)
    url = f"/office/applications/{app_id}/preliminary-refusal?lang=en"
    no_ground = office.post(url, data={"motivation": "The conclusion is a copy."})
    assert no_ground.status_code == 422 and "Choose at least one ground" in text_of(no_ground)
    no_text = office.post(url, data={"grounds": ["emergency_not_confirmed"], "motivation": " "})
    assert no_text.status_code == 422
    assert "Write the motivation of the decision" in text_of(no_text)
    invented = office.post(url, data={"grounds": ["owned_in_five_years"], "motivation": "x"})
    # a computed ground the registries do not show is not offered: the form refuses it
    assert invented.status_code == 422
    assert "Choose the grounds from the list." in text_of(invented)
    assert fresh(app_id).status == AppStatus.UNDER_REVIEW
    assert audits(app_id) == []


@pytest.mark.parametrize(("local_time", "hearing_day"), [
    (dt.time(18, 29, 59), dt.date(2026, 11, 25)),  # Monday in working time: Wednesday
    (dt.time(18, 30, 0), dt.date(2026, 11, 26)),  # after hours: counts from Tuesday, Thursday
])
def test_the_preliminary_refusal_proposes_the_hearing_by_the_rules(app, client, clock,
                                                                   local_time, hearing_day):
    base, app_id = filed(client)  # Monday 23.11.2026 11:00 Almaty
    clock.set(dt.datetime.combine(dt.date(2026, 11, 23), local_time, tzinfo=ALMATY))
    office = staff_client(app)
    response = office.post(f"/office/applications/{app_id}/preliminary-refusal", data={
        "grounds": ["emergency_not_confirmed"],
        "motivation": "The conclusion is not signed by the expert."})
    assert response.status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.PRELIMINARY_REFUSAL
    assert application.data["grounds"] == ["emergency_not_confirmed"]
    hearing = dt.datetime.fromisoformat(application.data["hearing_at"])
    assert hearing == dt.datetime.combine(hearing_day, dt.time(10, 0), tzinfo=ALMATY)
    assert "preliminary refusal" in last_sms(phone_of("emergency")).body.lower() or \
        "алдын ала" in last_sms(phone_of("emergency")).body.lower()
    sign_in(client, "emergency")  # hours later: the citizen's session has ended
    done = text_of(client.get(f"{base}/done?lang=en"))
    assert "The conclusion is not signed by the expert." in done and "How to take part" in done
    [record] = audits(app_id, "housing_preliminary_refusal")
    assert record.before["status"] == "under_review"
    assert record.after["status"] == "preliminary_refusal"
    assert record.after["motivation"] == "The conclusion is not signed by the expert."


# --- the hearing -------------------------------------------------------------------------------

def at_hearing(app, app_id: int, office=None, login: str = "officer1", citizen=None,
               key: str = "sold_recently") -> None:
    """The controlled clock moves to the hearing's moment: the final decision is open (the
    staff member, days later, signs in again)."""
    app.config["CLOCK"].set(dt.datetime.fromisoformat(fresh(app_id).data["hearing_at"]))
    if office is not None:
        staff_sign_in(office, login=login)
    if citizen is not None:
        sign_in(citizen, key)


MINUTES = {"participants": "The applicant; officer Test Officer",
           "statement": "The applicant repeated the objection."}


def object_to(client, base: str, text: str):
    response = client.post(f"{base}/objection", data={
        "text": text, "file": (_file(PDF), "deed.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 303, response.status_code


def test_the_officer_sees_the_objection_and_refuses_finally_with_a_motivation(app, client):
    base, app_id = file_case(client, "sold_recently", case="no_housing", settlement="astana")
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    object_to(client, base, "The flat was sold to pay for surgery.")
    office = staff_client(app, settlements=("astana",))
    assert "Hearing" in text_of(office.get("/office/?kind=hearing&lang=en"))
    page = text_of(office.get(f"/office/applications/{app_id}?lang=en"))
    assert "The flat was sold to pay for surgery." in page and "deed.pdf" in page
    assert "Proposed hearing" in page
    at_hearing(app, app_id, office, citizen=client)

    url = f"/office/applications/{app_id}/hearing?lang=en"
    bare = office.post(url, data={"outcome": "refused", "motivation": "", **MINUTES})
    assert bare.status_code == 422 and "motivation of the final refusal" in text_of(bare)
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    motivation = "The sale was within five years and no exception applies."
    assert office.post(url, data={"outcome": "refused", "motivation": motivation, **MINUTES}
                       ).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.REFUSED and application.closed_at is not None
    assert entries(app_id) == []
    assert application.number in last_sms(phone_of("sold_recently")).body
    done = text_of(client.get(f"{base}/done?lang=en"))
    assert motivation in done and "Refused" in done
    public = text_of(client.get(f"/housing/s/{application.status_token}?lang=en"))
    assert motivation not in public  # the reasons are the applicant's
    status = f"/s/{application.status_token}?lang=en"
    assert motivation in text_of(client.get(status))  # the applicant, signed in
    assert motivation not in text_of(app.test_client().get(status))  # whoever holds the link
    [record] = audits(app_id, "housing_hearing_refused")
    assert record.before["status"] == "preliminary_refusal"
    assert record.after["hearing"]["text"] == motivation


def test_the_hearing_registers_with_a_number(app, client):
    base, app_id = filed(client, "sold_recently", case="no_housing", settlement="astana")
    office = staff_client(app, settlements=("astana",))
    at_hearing(app, app_id, office, citizen=client)
    assert office.post(f"/office/applications/{app_id}/hearing",
                       data={"outcome": "registered", **MINUTES}).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.IN_QUEUE
    assert [e.number for e in entries(app_id)] == [application.data["queue_number"]]
    assert f"<dd>{application.data['queue_number']}</dd>" in text_of(
        client.get(f"{base}/done?lang=en"))
    [record] = audits(app_id, "housing_hearing_registered")
    assert record.after["status"] == "in_queue"


# --- complaints ---------------------------------------------------------------------------------

def refused_with_complaint(app, client, text="The hearing ignored my documents."):
    base, app_id = file_case(client, "sold_recently", case="no_housing", settlement="astana")
    office = staff_client(app, settlements=("astana",))
    at_hearing(app, app_id, office, citizen=client)
    office.post(f"/office/applications/{app_id}/hearing",
                data={"outcome": "refused", "motivation": "Sold within five years.", **MINUTES})
    assert fresh(app_id).status == AppStatus.REFUSED
    response = client.post(f"{base}/complaint", data=HEAD | {"text": text})
    assert response.status_code == 303
    return base, app_id, office


def refused_with_complaint_built(client, text="The hearing ignored my documents."):
    """As refused_with_complaint, built through the services; the citizen signed in."""
    officer = make_staff(login="officer1", settlements=("astana",))
    application = builders.housing_refused_with_complaint(
        iin("sold_recently"), officer, text=text, case="no_housing", settlement="astana")
    sign_in(client, "sold_recently")
    return f"/housing/{application.id}", application.id


def test_the_head_satisfies_a_complaint_and_the_decision_changes(app, client):
    base, app_id, officer = refused_with_complaint(app, client)
    url = f"/office/applications/{app_id}/complaints/0"
    data = {"c0-outcome": "satisfied", "c0-text": "The sale paid for surgery: registered."}
    assert officer.post(url, data=data).status_code == 403
    assert "Nothing is awaiting you yet" in text_of(officer.get("/office/?lang=en"))
    head = staff_client(app, login="head1", role="head", settlements=("almaty",))
    listed = text_of(head.get("/office/?kind=complaint&lang=en"))
    assert f"/office/applications/{app_id}" in listed and "<td>Complaint" in listed
    assert head.post(url, data=data).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.IN_QUEUE and application.closed_at is None
    assert [e.number for e in entries(app_id)] == [application.data["queue_number"]]
    complaint = application.data["complaints"][0]
    assert complaint["outcome"] == "satisfied" and complaint["by"] == "head1"
    assert complaint["answered_at"] and complaint["text"] == "The hearing ignored my documents."
    assert "complaint" in last_sms(phone_of("sold_recently")).body.lower() or \
        "шағым" in last_sms(phone_of("sold_recently")).body.lower()
    assert "The sale paid for surgery: registered." in text_of(
        client.get(f"{base}/done?lang=en"))
    [record] = audits(app_id, "housing_complaint_satisfied")
    assert record.before["status"] == "refused" and record.after["status"] == "in_queue"
    # Answered once: a second answer changes nothing.
    again = head.post(url, data={"c0-outcome": "refused", "c0-text": "No."})
    assert again.status_code == 303
    assert fresh(app_id).data["complaints"][0]["outcome"] == "satisfied"
    assert len(audits(app_id, "housing_complaint_refused")) == 0


def test_the_head_refuses_a_complaint_with_a_motivation(app, client):
    base, app_id = refused_with_complaint_built(client)
    head = staff_client(app, login="head1", role="head", settlements=("almaty",))
    url = f"/office/applications/{app_id}/complaints/0?lang=en"
    bare = head.post(url, data={"c0-outcome": "refused", "c0-text": ""})
    assert bare.status_code == 422 and "motivation of the answer" in text_of(bare)
    answer = "The documents were read at the hearing; the ground stands."
    assert head.post(url, data={"c0-outcome": "refused", "c0-text": answer}).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.REFUSED and entries(app_id) == []
    assert answer in text_of(client.get(f"{base}/done?lang=en"))
    [record] = audits(app_id, "housing_complaint_refused")
    assert record.after["complaint"]["answer"] == answer


@pytest.mark.parametrize(("day", "overdue", "left"), [
    (dt.date(2026, 12, 2), False, "0"),  # the fifth working day: still in time
    (dt.date(2026, 12, 3), True, "-1"),  # the day after: flagged
])
def test_a_complaint_past_its_due_day_is_flagged_overdue(app, client, clock, day, overdue, left):
    # Filed Monday 23.11.2026, refused at the hearing on Wednesday 25.11, complained then.
    _base, app_id, _officer = refused_with_complaint(app, client)
    assert fresh(app_id).data["complaints"][0]["due"] == "2026-12-02"
    clock.set(dt.datetime.combine(day, dt.time(9, 0), tzinfo=ALMATY))
    head = staff_client(app, login="head1", role="head", settlements=("almaty",))
    page = text_of(head.get("/office/?kind=complaint&lang=en"))
    row = page.split(fresh(app_id).number + "</a>")[1].split("</tr>")[0]
    assert ("Overdue" in row) is overdue
    assert row.rstrip().endswith(f"{left}</td>")


# --- once only ---------------------------------------------------------------------------------

def test_a_double_submitted_decision_acts_once(app, client):
    _base, app_id = filed(client)
    office = staff_client(app)
    first = office.post(f"/office/applications/{app_id}/register?lang=en")
    second = office.post(f"/office/applications/{app_id}/register?lang=en")
    assert first.status_code == second.status_code == 303
    assert len(entries(app_id)) == 1 and len(audits(app_id, "housing_register")) == 1
    page = text_of(office.get(f"/office/applications/{app_id}?lang=en"))
    assert "The application has changed meanwhile" in page


def test_ten_parallel_registrations_assign_one_number(app, client, db):
    _base, app_id = filed(client)
    office = staff_client(app)
    token = office.get_cookie("mk_staff", path="/office").value
    n = 10
    clients = []
    for _ in range(n):
        other = app.test_client()
        other.set_cookie("mk_staff", token, path="/office")
        clients.append(other)
    barrier = threading.Barrier(n)
    statuses = [0] * n

    def run(i: int):
        with app.app_context():
            barrier.wait()
            statuses[i] = clients[i].post(
                f"/office/applications/{app_id}/register").status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert statuses == [303] * n
    db.session.expire_all()
    assert fresh(app_id).status == AppStatus.IN_QUEUE
    assert len(entries(app_id)) == 1
    assert len(audits(app_id, "housing_register")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QueueEntry)) == 1


def in_parallel(app, staff, n: int, url: str, data_for) -> list[int]:
    """n test clients in the same staff session post `url` at the same moment."""
    token = staff.get_cookie("mk_staff", path="/office").value
    clients = []
    for _ in range(n):
        other = app.test_client()
        other.set_cookie("mk_staff", token, path="/office")
        clients.append(other)
    barrier = threading.Barrier(n)
    statuses = [0] * n

    def run(i: int):
        with app.app_context():
            barrier.wait()
            statuses[i] = clients[i].post(url, data=data_for(i)).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses


def test_parallel_answers_to_one_complaint_record_one(app, client, db):
    _base, app_id = refused_with_complaint_built(client)
    head = staff_client(app, login="head1", role="head", settlements=("almaty",))
    outcomes = ["satisfied", "refused"] * 3
    statuses = in_parallel(app, head, len(outcomes), f"/office/applications/{app_id}/complaints/0",
                           lambda i: {"c0-outcome": outcomes[i], "c0-text": f"Answer {i}."})
    assert statuses == [303] * len(outcomes)
    db.session.expire_all()
    answers = audits(app_id, "housing_complaint_satisfied") + \
        audits(app_id, "housing_complaint_refused")
    assert len(answers) == 1
    complaint = fresh(app_id).data["complaints"][0]
    assert answers[0].after["complaint"]["answer"] == complaint["answer"]
    registered = complaint["outcome"] == "satisfied"
    assert (fresh(app_id).status == AppStatus.IN_QUEUE) is registered
    assert len(entries(app_id)) == (1 if registered else 0)


# --- the pages, in every language ---------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_office_decision_pages_in_every_language(app, client, lang):
    base, app_id = filed(client)
    refused_base, refused_id = refused_with_complaint_built(client)
    head = staff_client(app, login="head1", role="head", settlements=("almaty",))
    check_page(head.get(f"/office/?lang={lang}"), lang)
    check_page(head.get(f"/office/applications/{app_id}?lang={lang}"), lang)
    check_page(head.get(f"/office/applications/{refused_id}?lang={lang}"), lang)
    check_page(head.post(f"/office/applications/{app_id}/preliminary-refusal?lang={lang}",
                         data={"motivation": ""}), lang)
    check_page(head.post(f"/office/applications/{refused_id}/complaints/0?lang={lang}",
                         data={}), lang)
    head.post(f"/office/applications/{app_id}/preliminary-refusal", data={
        "grounds": ["unreliable_data"], "motivation": "Forged stamp."})
    check_page(head.get(f"/office/applications/{app_id}?lang={lang}"), lang)
    check_page(head.post(f"/office/applications/{app_id}/hearing?lang={lang}", data={}), lang)
    check_page(head.get(f"/office/audit?application={app_id}&lang={lang}"), lang)
    check_page(client.get(f"{refused_base}/done?lang={lang}"), lang)
    check_page(client.get(f"{base}/done?lang={lang}"), lang)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_office_sms_texts_fit_three_parts_in_every_language(app, lang):
    from portal.core.services import sms_texts
    from portal.housing.office.services import complaints, hearings

    values = dict(number="H-2026-000123", link="https://mekenjai.kz/s/AbCdEfGhIjKlMnOpQrStUv",
                  head=5, authority=15)
    for text in (hearings.SMS_REFUSED, complaints.SMS_COMPLAINT_ANSWERED,
                 complaints.SMS_COMPLAINT_FORWARDED):
        body = text.render(lang, **values)
        assert sms_texts.parts(body) <= sms_texts.MAX_PARTS, (lang, body)
        assert "заявк" not in body.lower()
        if lang != "en":
            assert body != text.render("en", **values)
