"""Every page of every journey, reached through the test client: the citizen's, the kiosk's and
the office's. The HTML checks (tests/web/test_every_page.py), the Nu HTML checker
(tests/web/test_html_validity.py) and the browser's page sweep (tests/browser/test_page_sweep.py)
crawl the same pages.

Call these inside an app context, on an app with CSRF off (the test client posts no tokens).
Each returns groups: (test client whose cookies are the visitor's, [URL, ...]); a URL carries no
`lang`, the crawler adds it."""

from __future__ import annotations

import re

from tests.web.helpers import (
    application_at,
    fill_draft,
    iin,
    last_sms,
    new_draft,
    phone_of,
    sign_and_submit,
    sign_in,
    ward_iin,
)
from tests.web.housing_helpers import submit, walk

Group = tuple[object, list[str]]


def housing_pages(app, client, tmp_path) -> dict:
    """The housing journey's pages: one submitted application, one draft at the signing page."""
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")
    sent = walk(client, "parent_of_teen", settlement="almaty", signed_in=True)
    # Walked before the first is submitted: a person with one in progress cannot start another.
    draft = walk(client, "parent_of_teen", case="emergency", settlement="almaty",
                 signed_in=True)
    submit(client, sent, "parent_of_teen")
    token = application_at(sent).status_token
    assert application_at(sent).status == "preliminary_refusal"  # the objection page opens
    client.post(f"{draft}/send-code")
    return {
        "housing.start": "/housing/", "housing.resume": None,
        "housing.update_family": None,  # on the list only: test_housing_journey checks it
        "housing.category_recheck": None,  # on the list only: test_category_recheck checks it
        "housing.who": f"{draft}/who", "housing.registries": f"{draft}/registries",
        "housing.case": f"{draft}/case", "housing.conclusion": f"{draft}/conclusion",
        "housing.settlement": f"{draft}/settlement", "housing.category": f"{draft}/category",
        "housing.family": f"{draft}/family", "housing.contacts": f"{draft}/contacts",
        "housing.consents": f"{draft}/consents", "housing.check": f"{draft}/check",
        "housing.sign": f"{draft}/sign", "housing.done": f"{sent}/done",
        "housing.receipt": f"{sent}/receipt", "housing.public_status": f"/housing/s/{token}",
        "housing.objection": f"{sent}/objection", "housing.complaint": f"{sent}/complaint",
        "housing.update_contacts": f"{sent}/update-contacts",
        "housing_public.queue": "/queue?settlement=almaty&list_code=general&number=1",
        # A list member's pages: member_pages below (a member moved from an akimat).
        "housing.member_page": None, "housing.member_phone": None,
        "housing.member_consent": None,
    }


def member_pages(app) -> Group:
    """A member moved from an akimat's list, signed in: their page, the phone, the consent's
    code page (a code sent)."""
    import sqlalchemy as sa

    from demo_registries.members import seed_members
    from portal.core.models import Application
    from portal.extensions import db

    seed_members()  # once (a second call finds them)
    client = app.test_client()
    sign_in(client, "akimat_member")
    app_id = db.session.scalar(sa.select(Application.id).where(
        Application.applicant_iin == iin("akimat_member"), Application.channel == "akimat"))
    base = f"/housing/{app_id}/member"
    client.post(f"{base}/consent/send")
    return client, [base, f"{base}/phone", f"{base}/consent"]


def citizen_pages(app, client, tmp_path) -> dict:
    """One real URL for each GET endpoint (None: crawled elsewhere), from a signed-in applicant
    with a draft and an application waiting for an owner's consent."""
    # A father: his son's application waits for the mother's consent, and his own draft goes
    # on (one person cannot have two applications awaiting consent, so two people).
    sign_in(client, "parent_of_teen")
    base = fill_draft(client, ward_iin("parent_of_teen", "Ерасыл"), "Сәтпаев 30 45")
    sign_and_submit(client, base, "parent_of_teen")
    submitted = application_at(base)
    link = re.search(r"/c/(\S+)", last_sms(phone_of("parent_spouse")).body).group(1)
    draft = new_draft(client)
    client.post(f"{draft}/who", data={"person": iin("parent_of_teen")})
    signing = fill_draft(client, iin("parent_of_teen"), "Абай 150 12")
    client.post(f"{signing}/sign")
    housing = housing_pages(app, client, tmp_path)
    return housing | {
        "main.home": "/", "main.cabinet": "/cabinet",
        "auth.sign_in": "/sign-in", "auth.enter_code": None,  # needs a pending code: below
        "residence.start": "/residence/", "residence.resume": None,
        "residence.who": f"{draft}/who", "residence.address": f"{draft}/address?q=Абай",
        "residence.path": f"{signing}/path", "residence.reason": f"{signing}/reason",
        "residence.check": f"{signing}/check", "residence.sign": f"{signing}/sign",
        "residence.done": f"{base}/done", "residence.receipt": f"{base}/receipt",
        "status.show": f"/s/{submitted.status_token}",
        "consent.answer": f"/c/{link}", "consent.enter": "/consent",
        "demo.sms_outbox": "/demo/sms",
        "demo.mail_outbox": "/demo/mail",
        # Kiosk screens answer only an enrolled kiosk: kiosk_pages below, and
        # tests/web/test_kiosk.py::test_kiosk_pages_in_every_language.
        "kiosk.attract": None, "kiosk.services": None, "kiosk.status": None,
        "kiosk.receipt": None, "kiosk.hand_over": None, "kiosk.to_phone": None,
        "kiosk.enrol": None,
        # Staff pages: office_pages below, and
        # tests/web/test_office_sign_in.py::test_office_pages_in_every_language.
        "office.sign_in": "/office/sign-in", "office.setup": None,
        "office.work_list": None, "office.audit_trail": None,
        # One application's decisions: office_pages below, and
        # tests/web/test_office_decisions.py::test_office_decision_pages_in_every_language.
        "office.application": None,
        # ЭЦП pages (404 while ЭЦП is off): crawled with ЭЦП on, in every language, by
        # tests/web/test_ecp_web.py::test_ecp_pages_in_every_language.
        "ecp.sign_in": None, "ecp.sign_application": None,
    }


def citizen_groups(app, tmp_path) -> list[Group]:
    """The citizen's pages: signed in (citizen_pages), and a visitor at the code page."""
    client = app.test_client()
    pages = citizen_pages(app, client, tmp_path)
    visitor = app.test_client()
    assert visitor.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303
    return [(client, [url for url in pages.values() if url]),
            (visitor, ["/sign-in/code", "/sign-in", "/", "/consent", "/residence/"]),
            member_pages(app)]


def enrolled_kiosk(app, client, name: str = "ЦОН Алматы, Бостандық №1") -> None:
    result = app.test_cli_runner().invoke(args=["kiosk", "add", name])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://[^/\s]+(/kiosk/enrol/\S+)", result.output).group(1)
    response = client.post(link)
    assert response.status_code == 303, response.status_code


def kiosk_groups(app, tmp_path) -> list[Group]:
    """The kiosk's screens and the journeys drawn at a kiosk: a visitor signed in with a
    submitted residence application, a residence draft at the code page and a housing draft at
    the check page; a visitor at the code page; nobody (the attract screen, last: it ends a
    visit)."""
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "kiosk-uploads")
    client = app.test_client()
    enrolled_kiosk(app, client)
    sign_in(client, "parent_of_teen")
    base = fill_draft(client, ward_iin("parent_of_teen", "Ерасыл"), "Сәтпаев 30 45")
    sign_and_submit(client, base, "parent_of_teen")
    sent = application_at(base)
    draft = new_draft(client)
    client.post(f"{draft}/who", data={"person": iin("parent_of_teen")})
    to_phone = client.get(f"/kiosk/{draft.rsplit('/', 1)[1]}/to-phone").get_data(as_text=True)
    token = re.search(r"/kiosk/to-phone/([\w-]+)/qr.svg", to_phone).group(1)
    signing = fill_draft(client, iin("parent_of_teen"), "Абай 150 12")
    client.post(f"{signing}/sign")
    housing = walk(client, "parent_of_teen", settlement="almaty", signed_in=True)
    signed_in = [
        "/kiosk/services", "/kiosk/status", "/cabinet", "/residence/", "/housing/",
        f"{draft}/who", f"{draft}/address?q=Абай", f"{signing}/path", f"{signing}/reason",
        f"{signing}/check", f"{signing}/sign", f"{base}/done", f"/kiosk/receipt/{sent.id}",
        f"/s/{sent.status_token}", f"/kiosk/{draft.rsplit('/', 1)[1]}/to-phone",
        f"/kiosk/to-phone/{token}x",
        f"{housing}/who", f"{housing}/registries", f"{housing}/case", f"{housing}/settlement",
        f"{housing}/category", f"{housing}/family", f"{housing}/contacts",
        f"{housing}/consents", f"{housing}/check",
    ]
    visitor = app.test_client()
    enrolled_kiosk(app, visitor, "ЦОН Алматы, Бостандық №2")
    assert visitor.post("/sign-in", data={"iin": iin("owner_self")}).status_code == 303
    nobody = app.test_client()
    enrolled_kiosk(app, nobody, "ЦОН Алматы, Бостандық №3")
    result = app.test_cli_runner().invoke(args=["kiosk", "add", "ЦОН Астана №2"])
    enrol = re.search(r"http://[^/\s]+(/kiosk/enrol/\S+)", result.output).group(1)
    return [(client, signed_in), (visitor, ["/sign-in/code"]),
            (nobody, ["/kiosk/services", "/sign-in", "/consent", "/kiosk/status", enrol,
                      "/kiosk/"])]


def office_groups(app) -> list[Group]:
    """The office's pages, signed in as the head: the work list, the audit trail, and one
    application under review, one at a preliminary refusal, one refused with a complaint."""
    from portal.housing.office.staff import accounts
    from tests.support import builders
    from tests.web.office_helpers import PASSWORD, make_staff, staff_sign_in

    officer = make_staff(login="officer1", settlements=("astana",))
    review = builders.housing_under_review(iin("emergency"))
    refused = builders.housing_refused_with_complaint(
        iin("sold_recently"), officer, case="no_housing", settlement="astana")
    make_staff(login="head1", role="head", settlements=("almaty", "astana"))
    head = app.test_client()
    staff_sign_in(head, login="head1")
    pages = ["/office/", "/office/?settlement=almaty&kind=hearing", "/office/audit",
             f"/office/applications/{review.id}", f"/office/applications/{refused.id}",
             f"/office/audit?application={refused.id}"]
    accounts.add("fresh", "Fresh", "officer", ["almaty"], PASSWORD)
    fresh = app.test_client()
    fresh.post("/office/sign-in", data={"login": "fresh", "password": PASSWORD})
    return [(head, pages), (fresh, ["/office/sign-in/set-up"]),
            (app.test_client(), ["/office/sign-in"])]


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"
