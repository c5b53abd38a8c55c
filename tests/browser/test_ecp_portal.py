"""ЭЦП through the portal's own pages in Chromium, with the stand-in NCALayer (a WebSocket server
that speaks NCALayer's JSON and signs with a test key): sign in by ЭЦП, then sign a residence
application from its check page (and a draft of a toy service with only the ServiceDefinition
hooks, on the ЭЦП page itself); NCALayer absent shows the message and the SMS sign-in still
works.
Real CSRF, real CSP (connect-src gains exactly the configured NCALayer address)."""

from __future__ import annotations

import re
import secrets

import pytest
import sqlalchemy as sa
from flask import Blueprint

from demo_registries.seed import DEMO_PEOPLE
from portal.core.models import Application, AppStatus, AuditEvent, Signature
from portal.core.services import lifecycle, numbering
from portal.core.services.catalogue import ServiceDefinition, catalogue
from portal.extensions import db
from tests.support import office_hours
from tests.support_ecp.ncalayer import NcaLayerStandIn
from tests.support_ecp.pki import FakeNca

PERSON = next(p for p in DEMO_PEOPLE if p["key"] == "owner_self")
TOY = "ecpbrowser"


def _submit(draft, signature, requester) -> bool:
    if not lifecycle.claim_for_submission(draft, note="ecp"):
        return False
    numbering.assign(draft, "B")
    return True


TOY_SERVICE = ServiceDefinition(
    code=TOY, name="Toy service", prefix="B", statuses={"draft": "Draft"},
    done_endpoint="ecpbrowser.done",
    signed_lines=lambda d: [("Name", (d.data or {}).get("name", ""))], submit_signed=_submit)


@pytest.fixture(scope="module")
def pki() -> FakeNca:
    return FakeNca()


@pytest.fixture
def layer(pki):
    with NcaLayerStandIn(pki.citizen(PERSON["iin"], purpose="auth"),
                         now=office_hours.now) as stand_in:
        yield stand_in


@pytest.fixture
def live_app_config(live_app_config, pki, tmp_path, request):
    live_app_config["ECP_TRUST_DIR"] = str(pki.write_trust_dir(tmp_path / "trust"))
    live_app_config["NCALAYER_URL"] = (request.getfixturevalue("layer").url
                                       if "layer" in request.fixturenames
                                       else "ws://127.0.0.1:9")  # nothing listens there
    return live_app_config


@pytest.fixture
def live_app(live_app):
    bp = Blueprint(TOY, __name__)

    @bp.route("/toy-browser/<int:app_id>/done")
    def done(app_id):
        number = db.session.get(Application, app_id).number
        return f"<!doctype html><html lang=en><title>done</title><h1>Submitted {number}</h1>"

    live_app.register_blueprint(bp)
    catalogue.register(TOY_SERVICE)
    yield live_app
    catalogue.unregister(TOY)


def _draft(app) -> int:
    with app.app_context():
        draft = Application(service=TOY, applicant_iin=PERSON["iin"], status=AppStatus.DRAFT,
                            data={"name": "Aigerim"}, status_token=secrets.token_urlsafe(16))
        db.session.add(draft)
        db.session.commit()
        return draft.id


def test_sign_in_by_ecp_then_sign_an_application(live_app, live_server, new_context, layer, pki,
                                                 watch_console, assert_accessible):
    page = new_context(locale="en-GB").new_page()
    problems = watch_console(page)
    page.goto("/sign-in?lang=en")
    page.get_by_role("link", name="Sign in with ЭЦП").click()
    page.wait_for_url("**/sign-in/ecp")
    assert_accessible(page, "sign in with ЭЦП")
    page.get_by_role("button", name="Sign in with ЭЦП").click()
    page.wait_for_url("**/cabinet")
    assert layer.requests[-1]["args"]["signerParams"]["extKeyUsageOids"][0] == \
        "1.3.6.1.5.5.7.3.2"  # the AUTHENTICATION key was asked for
    with live_app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.kind, event.iin, event.detail) == ("sign_in", PERSON["iin"], "ecp")

    app_id = _draft(live_app)
    layer.signer = pki.citizen(PERSON["iin"], purpose="sign")
    page.goto(f"/applications/{app_id}/ecp")
    assert "Name: Aigerim" in page.locator("details.signed-text pre").text_content()
    page.get_by_role("button", name="Sign with ЭЦП").click()
    page.get_by_role("heading", name=re.compile(r"Submitted B-")).wait_for()
    with live_app.app_context():
        signature = db.session.scalar(sa.select(Signature))
        assert signature.method == "ecp" and signature.application_id == app_id
        assert db.session.get(Application, app_id).status == AppStatus.SUBMITTED
    assert problems == []  # no CSP violation: connect-src allows exactly this NCALayer


def _residence_draft_at_check(app) -> int:
    """A residence draft with every step answered (the walk itself is the journey tests')."""
    from portal.core.registries import registries
    from portal.residence.services import residence

    with app.app_context():
        draft = residence.new_draft(PERSON["iin"])
        address = registries().search_addresses("Абай 150 12")[0]
        residence.save(draft, subject_iin=PERSON["iin"], address_id=address.id, reason="moved")
        applicant = registries().person(PERSON["iin"])
        residence.accept_path(draft, residence.route_of(draft, applicant).route)
        return draft.id


def test_a_residence_application_is_signed_with_ecp_from_its_check_page(
        live_app, live_server, new_context, layer, pki, watch_console):
    page = new_context(locale="ru-RU").new_page()
    problems = watch_console(page)
    page.goto("/sign-in/ecp?lang=ru")
    page.locator("button[data-ecp-start]").click()
    page.wait_for_url("**/cabinet")
    app_id = _residence_draft_at_check(live_app)
    layer.signer = pki.citizen(PERSON["iin"], purpose="sign")
    page.goto(f"/residence/{app_id}/check?lang=ru")
    assert "проспект Абая" in page.locator("details.signed-text pre").text_content()
    page.locator("button[data-ecp-start]").click()
    page.wait_for_url(f"**/residence/{app_id}/done")
    with live_app.app_context():
        application = db.session.get(Application, app_id)
        assert application.status == AppStatus.REGISTERED and application.number.startswith("R-")
        signature = db.session.scalar(sa.select(Signature).where(
            Signature.application_id == app_id))
        assert signature.method == "ecp" and "проспект Абая" in signature.content
    page.goto(f"/residence/{app_id}/receipt?lang=en")
    assert "Signed with ЭЦП" in page.locator("#receipt").inner_text()
    assert problems == []


def test_ncalayer_absent_shows_the_message_and_sms_still_works(live_app, live_server,
                                                               new_context, watch_console):
    page = new_context(locale="en-GB").new_page()
    page.goto("/sign-in/ecp?lang=en")
    page.get_by_role("button", name="Sign in with ЭЦП").click()
    page.get_by_text("NCALayer is not running").wait_for()
    # the SMS way, from the same page
    page.get_by_role("link", name="Sign in with a code from an SMS").click()
    page.wait_for_url("**/sign-in")
    page.locator('input[name="iin"]').fill(PERSON["iin"])
    page.locator('main form[action$="/sign-in"] button').click()
    page.wait_for_url("**/sign-in/code")
    outbox = page.context.new_page()
    outbox.goto(f"/demo/sms?phone={re.sub(r'[^0-9]', '', PERSON['phone'])}")
    code = outbox.locator("#rows code.otp").first.inner_text().strip()
    page.locator('input[name="code"]').fill(code)
    page.locator('main form[action$="/sign-in/code"] button').click()
    page.wait_for_url("**/cabinet")


def test_without_javascript_only_the_sms_way_and_why(live_app, live_server, new_context):
    page = new_context(locale="en-GB", java_script_enabled=False).new_page()
    page.goto("/sign-in/ecp?lang=en")
    assert not page.get_by_role("button", name="Sign in with ЭЦП").is_visible()
    # (Chromium with scripting switched off by DevTools still parses <noscript> as script-on,
    # so its line is checked in the markup rather than on screen.)
    noscript = page.locator("noscript").first.inner_html()
    assert "Without JavaScript, use the code from the SMS" in noscript
    assert page.get_by_role("link", name="Sign in with a code from an SMS").is_visible()


def test_a_list_member_signs_the_consent_with_ecp_and_the_place_is_active_at_once(
        live_app, live_server, new_context, layer, pki, watch_console, assert_accessible):
    """Issue 22: "signed (SMS code or ЭЦП) in under two minutes"; here in seconds."""
    import time

    from demo_registries.members import seed_members

    member = next(p for p in DEMO_PEOPLE if p["key"] == "akimat_member")
    with live_app.app_context():
        assert seed_members() == 3
        app_id = db.session.scalar(sa.select(Application.id).where(
            Application.applicant_iin == member["iin"], Application.channel == "akimat"))
    page = new_context(locale="en-GB").new_page()
    problems = watch_console(page)
    started = time.monotonic()
    layer.signer = pki.citizen(member["iin"], purpose="auth")
    page.goto("/sign-in/ecp?lang=en")
    page.locator("button[data-ecp-start]").click()
    page.wait_for_url("**/cabinet")
    page.goto(f"/housing/{app_id}/member?lang=en")
    page.locator("main form[action$='/consent/send'] button").click()
    page.wait_for_url("**/member/consent")
    assert_accessible(page, "consent page with ЭЦП")
    assert "consent to Otbasy bank" in page.locator("details.signed-text pre").text_content()
    layer.signer = pki.citizen(member["iin"], purpose="sign")
    page.get_by_role("button", name="Sign with ЭЦП").click()
    page.wait_for_url(f"**/housing/{app_id}/member")
    assert "Active" in page.locator("#entry-status").inner_text()
    assert time.monotonic() - started < 120
    with live_app.app_context():
        application = db.session.get(Application, app_id)
        assert application.data["personal_data_consent"] is True
        assert [s.method for s in application.signatures if s.purpose == "pd_consent_1"] == \
            ["ecp"]
    assert problems == []
