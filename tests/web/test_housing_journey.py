"""The housing waiting list end to end in the test client (SPEC §2): the registries page shows
every ground first, the system decides at submission, numbers and positions, the files."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from werkzeug.test import EnvironBuilder

from portal.core.models import Application, AppStatus
from portal.core.models.housing import QueueEntry
from portal.extensions import db
from tests.web.helpers import iin, sign_in, ward_iin
from tests.web.housing_helpers import PDF, _file, new_housing_draft, submit, walk
from tests.web.pages import LANGS, check_page
from tests.web.pages import text_of as page_text

pytestmark = pytest.mark.usefixtures("seeded")

# A complaint to the head about the decision (the form names both).
HEAD = {"body": "provider_head", "subject": "decision"}


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def application(base: str) -> Application:
    db.session.expire_all()
    return db.session.get(Application, int(base.rsplit("/", 1)[1]))


def test_no_housing_case_is_registered_with_a_number_at_submission(client):
    base = walk(client, "no_housing", category="disabled")
    check = text_of(client.get(f"{base}/check?lang=en"))
    assert "Not confirmed by the registries" in check
    done = submit(client, base, "no_housing")
    assert done.status_code == 303 and done.location.endswith(f"{base}/done")
    app = application(base)
    assert app.status == AppStatus.IN_QUEUE and app.number.startswith("H-")
    page = text_of(client.get(f"{base}/done?lang=en"))
    assert app.number in page and "1 of 1" in page and "General list" in page
    assert [e.status for e in app.events][-2:] == [AppStatus.SUBMITTED, AppStatus.IN_QUEUE]


@pytest.mark.parametrize(("key", "settlement", "ground_text"), [
    ("on_base", "shymkent", "unified republican e-base"),
    ("sold_recently", "astana", "in the last 5 years"),
    ("spouse_owner", "astana", "in the last 5 years"),
    ("lease_tenant", "astana", "state housing fund or one rented"),
    ("privatised", "karaganda", "privatised a dwelling"),
    ("state_mortgage", "astana", "mortgage programme"),
    ("worsened", "almaty", "deliberately worsened"),
    ("almaty_2_years", "almaty", "last three years"),
    ("foreigner", "karaganda", "neither a citizen"),
    ("emergency_elsewhere", "astana", "in another settlement"),
])
def test_the_registries_page_shows_each_ground_before_any_question(client, key, settlement,
                                                                   ground_text):
    sign_in(client, key)
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin(key)})
    page = text_of(client.get(f"{base}/registries?lang=en"))
    assert ground_text in page and "Rules (Order No. 130 of 17.04.2025)" in page
    assert "You may still apply" in page


def test_a_minor_through_the_parent_is_not_of_age(client):
    sign_in(client, "parent_of_teen")
    base = new_housing_draft(client)
    teen = ward_iin("parent_of_teen", "Ерасыл")
    assert client.post(f"{base}/who", data={"person": teen}).status_code == 303
    assert "not of age" in text_of(client.get(f"{base}/registries?lang=en"))


def test_someone_else_cannot_be_chosen(client):
    sign_in(client, "no_housing")
    base = new_housing_draft(client)
    page = client.post(f"{base}/who?lang=en", data={"person": iin("owner_self")})
    assert page.status_code == 200 and "legal representative" in text_of(page)
    assert application(base).subject_iin is None


def test_a_ground_gives_a_preliminary_refusal_with_a_hearing(client):
    base = walk(client, "sold_recently", settlement="astana")
    assert submit(client, base, "sold_recently").status_code == 303
    app = application(base)
    assert app.status == AppStatus.PRELIMINARY_REFUSAL
    assert app.data["grounds"] == ["owned_in_five_years"] and app.data["hearing_at"]
    page = text_of(client.get(f"{base}/done?lang=en"))
    assert "How to take part" in page and "p. 15 sub. 2" in page


def test_the_emergency_case_waits_for_an_officer(client, clock):
    base = walk(client, "emergency", case="emergency")
    assert submit(client, base, "emergency").status_code == 303
    app = application(base)
    assert app.status == AppStatus.UNDER_REVIEW
    assert app.data["settlement"] == "karaganda"  # where the emergency dwelling is


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "empty.pdf", "The file is empty"),
    (b"MZ\x90\x00" + b"\x00" * 100, "virus.pdf", "not a PDF, JPG or PNG"),
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "big.pdf", "larger than 5 MB"),
])
def test_uploads_are_checked_by_content_and_size(client, content, name, message):
    sign_in(client, "emergency")
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin("emergency")})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "emergency"})
    builder = EnvironBuilder(path=f"{base}/conclusion", query_string="lang=en", method="POST",
                             data={"file": (_file(content), name)})
    environ = builder.get_environ()
    try:
        page = client.open(environ)
        page.close()
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert page.status_code in (200, 413)
    if page.status_code == 200:
        assert message in text_of(page)
    assert "housing/documents" not in text_of(client.get(f"{base}/conclusion"))


def test_the_conclusion_is_served_only_to_its_applicant_as_an_attachment(client, app):
    sign_in(client, "emergency")
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin("emergency")})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "emergency"})
    client.post(f"{base}/conclusion", data={"file": (_file(PDF), "../../etc/passwd.pdf")},
                content_type="multipart/form-data")
    page = text_of(client.get(f"{base}/conclusion"))
    link = page.split('href="', 1)[1] if "/documents/" in page else ""
    url = next(part.split('"')[0] for part in page.split('href="') if "/documents/" in part)
    with client.get(url) as response:
        assert response.status_code == 200 and response.data == PDF
        disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "/" not in disposition.split("filename=")[1]
    other = app.test_client()
    sign_in(other, "no_housing")
    assert other.get(url).status_code == 404
    assert link


def test_a_download_is_named_by_its_kind_and_real_type_not_the_citizens_file_name(client):
    sign_in(client, "emergency")
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin("emergency")})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "emergency"})
    client.post(f"{base}/conclusion", content_type="multipart/form-data",
                data={"file": (_file(PDF), 'Жұматова Р. 651201406104 "акт".exe.pdf')})
    page = text_of(client.get(f"{base}/conclusion"))
    url = next(part.split('"')[0] for part in page.split('href="') if "/documents/" in part)
    with client.get(url) as response:
        disposition = response.headers["Content-Disposition"]
    doc_id = url.rsplit("/", 1)[1]
    assert disposition == f"attachment; filename=conclusion-{doc_id}.pdf"


def test_a_draft_is_resumed_where_it_stopped(client):
    sign_in(client, "no_housing")
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin("no_housing")})
    client.post(f"{base}/registries")
    resumed = client.get(base)
    assert resumed.status_code == 302 and resumed.location.endswith(f"{base}/case")
    assert "/housing/" in text_of(client.get("/housing/"))
    deep = client.get(f"{base}/check")
    assert deep.location.endswith(f"{base}/case")


def test_family_rows_are_added_and_removed_without_javascript(client):
    sign_in(client, "large_family")
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin("large_family")})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "no_housing"})
    client.post(f"{base}/settlement", data={"settlement": "shymkent"})
    client.post(f"{base}/category", data={"category": "large_families"})
    page = text_of(client.get(f"{base}/family"))
    assert "Мейрам" in page
    spouse = application(base).data["family"][0]["iin"]
    client.post(f"{base}/family", data={"action": "remove", "iin": spouse})
    assert application(base).data["family"] == []
    added = client.post(f"{base}/family", data={"action": "add", "iin": spouse,
                                                "relation": "spouse"})
    assert added.status_code == 303
    assert [m["iin"] for m in application(base).data["family"]] == [spouse]
    fragment = client.post(f"{base}/family", data={"action": "remove", "iin": spouse},
                           headers={"HX-Request": "true", "HX-Target": "family"})
    assert fragment.status_code == 200 and "<html" not in text_of(fragment)


def test_without_personal_data_consent_the_application_cannot_go_on(client):
    base = walk(client, "no_housing", consent=False)
    page = client.post(f"{base}/consents?lang=en", data={"truth": "y"})
    assert page.status_code == 200 and "cannot go on" in text_of(page)
    assert client.get(f"{base}/check").location.endswith(f"{base}/consents")


def test_public_queue_page_and_status_show_no_personal_data(client, app):
    base = walk(client, "no_housing")
    submit(client, base, "no_housing")
    app_row = application(base)
    anyone = app.test_client()
    page = text_of(anyone.get("/queue?settlement=almaty&list_code=general&number=1&lang=en"))
    assert "1 of 1" in page and "Әлімжанова" not in page
    status = text_of(anyone.get(f"/housing/s/{app_row.status_token}?lang=en"))
    assert app_row.number in status and "Әлімжанова" not in status and "1 of 1" in status
    assert anyone.get(f"/housing/s/{app_row.status_token}/qr.svg").status_code == 200
    missing = text_of(anyone.get("/queue?settlement=almaty&list_code=general&number=7&lang=en"))
    assert "no such number" in missing


def test_withdrawal_closes_the_entry_and_is_recorded(client):
    base = walk(client, "no_housing")
    submit(client, base, "no_housing")
    assert client.post(f"{base}/withdraw").status_code == 303
    app = application(base)
    assert app.status == AppStatus.WITHDRAWN
    entry = db.session.scalars(sa.select(QueueEntry)).one()
    assert entry.status == "closed"
    assert app.events[-1].status == AppStatus.WITHDRAWN


def test_receipt_has_the_fields_of_the_paper_receipt(client):
    base = walk(client, "no_housing")
    submit(client, base, "no_housing")
    page = text_of(client.get(f"{base}/receipt?lang=en"))
    app = application(base)
    for expected in (app.number, "Submitted at", "Әлімжанова",
                     "Date, time and place of the result", "Joining the housing waiting list"):
        assert expected in page


def test_an_objection_with_a_file_before_the_hearing(client):
    base = walk(client, "sold_recently", settlement="astana")
    submit(client, base, "sold_recently")
    page = client.post(f"{base}/objection", data={"text": "I sold it to the akimat",
                                                  "file": (_file(PDF), "contract.pdf")},
                       content_type="multipart/form-data")
    assert page.status_code == 303
    app = application(base)
    assert app.data["objections"][0]["text"] == "I sold it to the akimat"
    assert app.events[-1].note == "objection sent"
    assert app.status == AppStatus.PRELIMINARY_REFUSAL


def test_a_complaint_shows_both_deadlines_and_is_recorded(client, clock):
    clock.set(dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC))  # Friday 11:00 in Almaty
    base = walk(client, "sold_recently", settlement="astana")
    submit(client, base, "sold_recently")  # a preliminary refusal: a decision to complain about
    clock.set(dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC))  # Friday 19:00: after hours
    sign_in(client, "sold_recently")
    page = text_of(client.get(f"{base}/complaint?lang=en"))
    # counts from Monday 30 November: 5 working days -> 7 December; 15 -> 22 December
    # (16 December, Independence Day, is not a working day)
    assert "Dec 7, 2026" in page and "Dec 22, 2026" in page
    assert client.post(f"{base}/complaint", data=HEAD | {"text": "Wrong"}
                       ).status_code == 303
    app = application(base)
    assert app.data["complaints"][0]["due"] == "2026-12-07"
    assert "complaint to provider_head" in app.events[-1].note


def test_objections_are_capped_in_length_and_count_with_a_clear_error(client):
    from portal.domain import limits

    base = walk(client, "sold_recently", settlement="astana")
    submit(client, base, "sold_recently")
    long = "я" * (limits.OBJECTION_MAX_CHARS + 1)
    page = check_page(client.post(f"{base}/objection?lang=ru", data={"text": long}), "ru")
    assert f"не более {limits.OBJECTION_MAX_CHARS}" in page_text(page)
    assert page.select_one("textarea").get_text() == long  # the text is kept
    for n in range(limits.OBJECTIONS_PER_APPLICATION):
        assert client.post(f"{base}/objection", data={"text": f"Objection {n}"}
                           ).status_code == 303
    page = check_page(client.post(f"{base}/objection?lang=en", data={"text": "One more"}), "en")
    assert "as many objections as one application can have" in page_text(page)
    assert len(application(base).data["objections"]) == limits.OBJECTIONS_PER_APPLICATION


def test_complaints_are_capped_in_length_and_count_with_a_clear_error(client):
    from portal.domain import limits

    base = walk(client, "sold_recently", settlement="astana")
    submit(client, base, "sold_recently")
    long = "a" * (limits.COMPLAINT_MAX_CHARS + 1)
    page = check_page(client.post(f"{base}/complaint?lang=kk",
                                  data=HEAD | {"text": long}), "kk")
    assert str(limits.COMPLAINT_MAX_CHARS) in page_text(page)
    for n in range(limits.COMPLAINTS_PER_APPLICATION):
        assert client.post(f"{base}/complaint", data=HEAD | {
                                                      "text": f"Complaint {n}"}
                           ).status_code == 303
    page = check_page(client.post(f"{base}/complaint?lang=en",
                                  data=HEAD | {"text": "One more"}), "en")
    assert "as many complaints about this application" in page_text(page)
    assert len(application(base).data["complaints"]) == limits.COMPLAINTS_PER_APPLICATION


def test_contacts_are_updated_after_registration_and_recorded(client):
    base = walk(client, "no_housing")
    submit(client, base, "no_housing")
    assert client.post(f"{base}/update-contacts", data={"phone": "+77012345678",
                                                        "email": "a@b.kz"}).status_code == 303
    app = application(base)
    assert app.data["phone"] == "+77012345678" and app.data["sms_consent"] is False
    assert app.events[-1].note == "contacts changed"


def test_family_is_updated_after_registration_and_each_change_recorded(client):
    """After registration the family changes (SPEC §2 "update contacts and family"): the same
    rows, added and removed in place, and every change in the application's history."""
    base = walk(client, "large_family", category="large_families", settlement="shymkent")
    submit(client, base, "large_family")
    assert application(base).status == AppStatus.IN_QUEUE
    done = text_of(client.get(f"{base}/done?lang=en"))
    assert "Update your family" in done
    for lang in LANGS:
        check_page(client.get(f"{base}/update-family?lang={lang}"), lang)
    assert "Step " not in text_of(client.get(f"{base}/update-family?lang=en"))
    member = application(base).data["family"][0]
    assert client.post(f"{base}/update-family", data={"action": "remove", "iin": member["iin"]}
                       ).status_code == 303
    assert member["iin"] not in [m["iin"] for m in application(base).data["family"]]
    fragment = client.post(f"{base}/update-family",
                           data={"action": "add", "iin": member["iin"], "relation": "spouse"},
                           headers={"HX-Request": "true", "HX-Target": "family"})
    assert fragment.status_code == 200 and "<html" not in text_of(fragment)
    assert f'data-hx-post="{base}/update-family"' in fragment.get_data(as_text=True)
    assert member["iin"] in [m["iin"] for m in application(base).data["family"]]
    notes = [e.note for e in application(base).events]
    assert "family member removed" in notes and "family member added (spouse)" in notes


def test_the_family_cannot_be_changed_through_the_update_page_before_registration(client):
    base = walk(client, "no_housing")
    response = client.get(f"{base}/update-family")
    assert response.status_code in (302, 303)  # a draft: its own family step, not this page
    assert "/update-family" not in response.location
