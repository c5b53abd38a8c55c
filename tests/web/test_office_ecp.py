"""Final staff decisions signed with ЭЦП where ЭЦП is configured (SPEC §2 "Preliminary decision
and hearing": the final decision is signed with the ЭЦП of an authorised person). A final
refusal and a complaint's answer are issued only with a verified CMS by the deciding staff
member's own certificate (its IIN is the account's); anything else decides nothing. The NCA
is the tests' own (tests/support_ecp)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa

from portal.core.models import AppStatus, Signature
from portal.extensions import db
from portal.housing.office.staff import accounts
from portal.housing.office.staff.models import StaffAudit
from tests.web.helpers import sign_in
from tests.web.housing_helpers import submit, walk
from tests.web.office_helpers import make_staff, staff_sign_in
from tests.web.test_ecp_web import app_config, pki, signed  # noqa: F401

pytestmark = pytest.mark.usefixtures("seeded")

OFFICER_IIN = "840512473013"
HEAD_IIN = "790203373021"
MOTIVATION = "The flat was sold within five years; no exception applies."


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def fresh(app_id: int):
    from portal.core.models import Application

    db.session.expire_all()
    return db.session.get(Application, app_id)


def office(app, login="officer1", role="officer", settlements=("astana",), iin=OFFICER_IIN):
    make_staff(login=login, role=role, settlements=settlements)
    if iin:
        accounts.set_iin(login, iin)
    client = app.test_client()
    staff_sign_in(client, login=login)
    return client


MINUTES = {"participants": "The applicant; officer Test Officer",
           "statement": "The applicant repeated the objection."}


def preliminary(client) -> tuple[str, int]:
    """A preliminary refusal, and the controlled clock at its hearing's moment (the final
    decision is open then); the citizen signs in again, days later."""
    base = walk(client, "sold_recently", case="no_housing", settlement="astana")
    assert submit(client, base, "sold_recently").status_code == 303
    app_id = int(base.rsplit("/", 1)[1])
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    client.application.config["CLOCK"].set(
        dt.datetime.fromisoformat(fresh(app_id).data["hearing_at"]))
    sign_in(client, "sold_recently")
    return base, app_id


def sign_form(response) -> dict:
    """The NCALayer form of the signing page: its hidden fields and the text to sign."""
    page = response.get_data(as_text=True)
    fields = {name: html.unescape(value) for name, value in
              re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)}
    fields["text"] = base64.b64decode(
        re.search(r'data-ecp-text-b64="([^"]+)"', page).group(1)).decode()
    return fields


def post_signed(client, app_id, form, cms, **changes):
    data = {k: v for k, v in form.items() if k not in ("text", "cms")} | changes
    data["cms"] = cms
    return client.post(f"/office/applications/{app_id}/sign-decision?lang=en", data=data)


def test_a_final_refusal_is_issued_only_with_the_officers_own_ecp(app, client, pki, clock):  # noqa: F811
    base, app_id = preliminary(client)
    officer = office(app)
    asked = officer.post(f"/office/applications/{app_id}/hearing?lang=en",
                         data={"outcome": "refused", "motivation": MOTIVATION, **MINUTES})
    assert asked.status_code == 200 and "data-ecp-sign" in asked.get_data(as_text=True)
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL  # nothing decided yet
    form = sign_form(asked)
    assert MOTIVATION in form["text"] and fresh(app_id).number in form["text"]
    assert OFFICER_IIN in form["text"] and form["nonce"] in form["text"]

    # Another person's certificate, or a motivation changed after the text was made: refused.
    stranger = signed(pki, form["text"], pki.citizen(HEAD_IIN), clock)
    assert post_signed(officer, app_id, form, stranger).status_code == 422
    own = signed(pki, form["text"], pki.citizen(OFFICER_IIN), clock)
    changed = post_signed(officer, app_id, form, own, motivation="Something else.")
    assert changed.status_code == 422
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL

    assert post_signed(officer, app_id, form, own).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.REFUSED
    assert application.data["refusal_motivation"] == MOTIVATION
    signature = db.session.scalar(sa.select(Signature).where(
        Signature.application_id == app_id, Signature.purpose == "final_refusal"))
    assert signature.method == "ecp" and signature.signer_iin == OFFICER_IIN
    assert signature.content == form["text"] and signature.cms == own
    assert db.session.scalar(sa.select(sa.func.count(StaffAudit.id)).where(
        StaffAudit.application_id == app_id,
        StaffAudit.action == "housing_hearing_refused")) == 1
    # the same signed form again (a double click) decides nothing more
    again = post_signed(officer, app_id, form, own)
    assert again.status_code in (303, 422) and fresh(app_id).status == AppStatus.REFUSED


def test_the_positive_result_after_the_hearing_is_signed_by_the_officer_too(app, client, pki,  # noqa: F811
                                                                            clock):
    """[002 p.17]: after the hearing a positive result or a motivated refusal, each an
    electronic document signed with the ЭЦП of an authorised person."""
    _base, app_id = preliminary(client)
    officer = office(app)
    asked = officer.post(f"/office/applications/{app_id}/hearing?lang=en",
                         data={"outcome": "registered", "motivation": "", **MINUTES})
    assert asked.status_code == 200 and fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    form = sign_form(asked)
    assert "Registered in the list after the hearing" in form["text"]
    assert "The applicant repeated the objection." in form["text"]
    # A signature of other text (the officer's own key) decides nothing.
    other = signed(pki, form["text"].replace("repeated", "withdrew"), pki.citizen(OFFICER_IIN),
                   clock)
    assert post_signed(officer, app_id, form, other).status_code == 422
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    changed = post_signed(officer, app_id, form, signed(pki, form["text"],
                          pki.citizen(OFFICER_IIN), clock), statement="Something else.")
    assert changed.status_code == 422 and fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    own = signed(pki, form["text"], pki.citizen(OFFICER_IIN), clock)
    assert post_signed(officer, app_id, form, own).status_code == 303
    application = fresh(app_id)
    assert application.status == AppStatus.IN_QUEUE
    assert application.data["hearing"]["minutes"]["statement"] == \
        "The applicant repeated the objection."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature).where(
        Signature.application_id == app_id)) >= 1


def test_an_account_without_an_iin_cannot_issue_a_final_refusal(app, client):
    _base, app_id = preliminary(client)
    officer = office(app, iin=None)
    response = officer.post(f"/office/applications/{app_id}/hearing?lang=en",
                            data={"outcome": "refused", "motivation": MOTIVATION, **MINUTES})
    assert response.status_code == 303
    page = officer.get(response.location).get_data(as_text=True)
    assert "has no IIN" in page and fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL


def test_the_heads_answer_to_a_complaint_is_signed_by_the_head(app, client, pki, clock):  # noqa: F811
    base, app_id = preliminary(client)
    officer = office(app)
    form = sign_form(officer.post(f"/office/applications/{app_id}/hearing",
                                  data={"outcome": "refused", "motivation": MOTIVATION, **MINUTES}))
    post_signed(officer, app_id, form, signed(pki, form["text"], pki.citizen(OFFICER_IIN), clock))
    assert client.post(f"{base}/complaint", data={"body": "provider_head", "subject": "decision",
                                                  "text": "My documents were ignored."}
                       ).status_code == 303
    head = office(app, login="head1", role="head", settlements=("astana",), iin=HEAD_IIN)
    asked = head.post(f"/office/applications/{app_id}/complaints/0?lang=en",
                      data={"c0-outcome": "refused", "c0-text": "The refusal stands."})
    assert asked.status_code == 200
    form = sign_form(asked)
    # an officer cannot post the head's signed answer
    cms = signed(pki, form["text"], pki.citizen(HEAD_IIN), clock)
    assert post_signed(officer, app_id, form, cms).status_code == 403
    assert post_signed(head, app_id, form, cms).status_code == 303
    complaint = fresh(app_id).data["complaints"][0]
    assert complaint["outcome"] == "refused" and complaint["by"] == "head1"
    signature = db.session.scalar(sa.select(Signature).where(
        Signature.application_id == app_id, Signature.purpose == "complaint_0"))
    assert signature.signer_iin == HEAD_IIN and "The refusal stands." in signature.content


def test_the_staff_signing_page_offers_no_sms_code(app, client):
    """Staff have no SMS code to fall back on: their page never sends them to one."""
    _base, app_id = preliminary(client)
    officer = office(app)
    page = officer.post(f"/office/applications/{app_id}/hearing?lang=en",
                        data={"outcome": "refused", "motivation": MOTIVATION, **MINUTES})
    text = page.get_data(as_text=True)
    assert "data-ecp-sign" in text and "code from the SMS" not in text
    assert "switch JavaScript on to sign this decision" in text
