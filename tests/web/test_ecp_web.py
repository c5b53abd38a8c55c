"""Signing an application and signing in with ЭЦП, through the pages (portal.ecp.routes) and a toy
service with the ServiceDefinition hooks, against a test NCA made here (never the demo store).

A good signature submits the draft and stores the CMS; each wrong signature is refused with its
translated message and the draft stays a draft; sign-in by ЭЦП gives a session for the
certificate's IIN, and a nonce is used once."""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets

import pytest
import sqlalchemy as sa
from flask import Blueprint
from flask_babel import force_locale

from portal.core.models import Application, AppStatus, AuditEvent, Signature, SigningChallenge
from portal.core.services import lifecycle, numbering
from portal.core.services.catalogue import Row, ServiceDefinition, catalogue
from portal.extensions import db
from tests.support_ecp.pki import FakeNca, make_cms
from tests.support_ecp.servers import OcspResponder

from .helpers import iin

TOY = "ecptoy"
APPLICANT = "owner_self"


def toy_lines(draft):
    return [("Name", (draft.data or {}).get("name", "")), ("Город", "Астана")]


def toy_submit(draft, signature, requester) -> bool:
    if not lifecycle.claim_for_submission(draft, note="ecp"):
        return False
    numbering.assign(draft, "E")
    return True


TOY_SERVICE = ServiceDefinition(
    code=TOY, name="Toy service", prefix="E", statuses={"draft": "Draft"},
    done_endpoint="ecptoy.done", status_rows=lambda a, mine: [Row("Name", "x")],
    signed_lines=toy_lines, submit_signed=toy_submit)


@pytest.fixture(scope="module")
def pki() -> FakeNca:
    from tests.conftest import START

    return FakeNca(now=START)


@pytest.fixture
def ocsp(pki, clock):
    with OcspResponder(pki) as responder:
        # its answers are made "now" on the frozen clock, as a real responder's would be
        responder.age = dt.datetime.now(dt.UTC) - clock.now()
        yield responder


@pytest.fixture
def app_config(app_config, pki, tmp_path, request):
    app_config["ECP_TRUST_DIR"] = str(pki.write_trust_dir(tmp_path / "trust"))
    if "ocsp" in request.fixturenames:
        app_config["ECP_OCSP"] = "on"
        app_config["ECP_OCSP_URL"] = request.getfixturevalue("ocsp").url
    return app_config


@pytest.fixture
def toy(seeded):
    bp = Blueprint(TOY, __name__)

    @bp.route("/toy-ecp/<int:app_id>/done")
    def done(app_id):
        return f"done {db.session.get(Application, app_id).number}"

    seeded.register_blueprint(bp)
    catalogue.register(TOY_SERVICE)
    yield seeded
    catalogue.unregister(TOY)


@pytest.fixture
def citizen(toy):
    client = toy.test_client()
    with client.session_transaction() as session:
        session["iin"] = iin(APPLICANT)
    return client


def new_draft(applicant: str = APPLICANT, name: str = "Aigerim") -> Application:
    draft = Application(service=TOY, applicant_iin=iin(applicant), status=AppStatus.DRAFT,
                        data={"name": name}, status_token=secrets.token_urlsafe(16))
    db.session.add(draft)
    db.session.commit()
    return draft


def offered(client, url: str) -> tuple[str, str, str]:
    """GET the page: (nonce, language, the text to sign) from its NCALayer form."""
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    html = page.get_data(as_text=True)
    text = base64.b64decode(re.search(r'data-ecp-text-b64="([^"]+)"', html).group(1)).decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    lang = re.search(r'name="lang" value="([^"]+)"', html).group(1)
    return nonce, lang, text


def post_cms(client, url, nonce, lang, cms):
    return client.post(url, data={"nonce": nonce, "lang": lang, "cms": cms})


def sign_url(draft) -> str:
    return f"/applications/{draft.id}/ecp"


def signed(pki, text: str, signer, clock, **kwargs) -> str:
    return make_cms(text.encode(), signer, signing_time=clock.now(), **kwargs)


def refused_with(response, message: str) -> None:
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


# --- Signing an application ---------------------------------------------------------------------

def test_good_signature_submits_and_stores_the_cms(citizen, pki, clock):
    draft = new_draft()
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    assert f"#{draft.id}" in text and nonce in text and "Name: Aigerim" in text
    cms = signed(pki, text, pki.citizen(iin(APPLICANT)), clock)
    response = post_cms(citizen, sign_url(draft), nonce, lang, cms)
    assert response.status_code == 303 and response.location.endswith(f"/toy-ecp/{draft.id}/done")
    db.session.refresh(draft)
    assert draft.status == AppStatus.SUBMITTED and draft.number.startswith("E-")
    signature = db.session.scalar(sa.select(Signature).where(Signature.application_id == draft.id))
    assert signature.method == "ecp" and signature.cms == cms and signature.content == text
    assert signature.signer_iin == iin(APPLICANT) and signature.certificate_serial
    # a second post (back button) does not sign twice: it lands on the done page
    again = post_cms(citizen, sign_url(draft), nonce, lang, cms)
    assert again.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Signature.id))) == 1


def test_the_text_is_in_the_citizens_language(citizen, pki, clock):
    draft = new_draft()
    _nonce, _lang, text = offered(citizen, sign_url(draft) + "?lang=ru")
    assert "Номер заявления" in text and "Одноразовый код" in text


def still_draft(draft) -> None:
    db.session.expire_all()
    assert db.session.get(Application, draft.id).status == AppStatus.DRAFT
    assert db.session.scalar(sa.select(sa.func.count(Signature.id))) == 0


def test_another_applications_text_is_refused(citizen, pki, clock):
    mine, other = new_draft(), new_draft(name="Other")
    _n, _l, other_text = offered(citizen, sign_url(other) + "?lang=en")
    nonce, lang, _text = offered(citizen, sign_url(mine) + "?lang=en")
    cms = signed(pki, other_text, pki.citizen(iin(APPLICANT)), clock)
    refused_with(post_cms(citizen, sign_url(mine), nonce, lang, cms),
                 "The signed text is not the text of this application")
    still_draft(mine)


@pytest.mark.parametrize("case, message", [
    ("expired", "Your ЭЦП certificate has expired"),
    ("not_yet_valid", "Your ЭЦП certificate is not valid yet"),
    ("unknown_root", "This certificate was not issued by the National Certification Authority"),
    ("other_iin", "This ЭЦП belongs to another person"),
    ("auth_key", "Wrong key"),
    ("malformed", "NCALayer did not return a signature we could read"),
    ("empty", "NCALayer did not return a signature we could read"),
    ("not_base64", "NCALayer did not return a signature we could read"),
])
def test_bad_signatures_are_refused_with_a_message(citizen, pki, clock, case, message):
    draft = new_draft()
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    me = iin(APPLICANT)
    start = clock.now()
    signer = {
        "expired": lambda: pki.citizen(me, valid_from=start - dt.timedelta(days=400),
                                       valid_to=start - dt.timedelta(seconds=1)),
        "not_yet_valid": lambda: pki.citizen(me, valid_from=start + dt.timedelta(minutes=1)),
        "unknown_root": lambda: FakeNca(now=start, name="OTHER", key_offset=5).citizen(me),
        "other_iin": lambda: pki.citizen(iin("single_owner")),
        "auth_key": lambda: pki.citizen(me, purpose="auth"),
    }.get(case, lambda: pki.citizen(me))()
    bad = {"malformed": base64.b64encode(b"not a cms").decode(), "empty": "",
           "not_base64": "%%%"}
    cms = bad[case] if case in bad else signed(pki, text, signer, clock)
    refused_with(post_cms(citizen, sign_url(draft), nonce, lang, cms), message)
    still_draft(draft)


def test_revoked_certificate_is_refused(citizen, pki, clock, ocsp):
    draft = new_draft()
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    signer = pki.citizen(iin(APPLICANT))
    ocsp.statuses[signer.cert.serial_number] = "revoked"
    refused_with(post_cms(citizen, sign_url(draft), nonce, lang, signed(pki, text, signer, clock)),
                 "Your ЭЦП certificate has been revoked")
    still_draft(draft)
    ocsp.statuses[signer.cert.serial_number] = "good"  # the same signer, now good: accepted
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    response = post_cms(citizen, sign_url(draft), nonce, lang, signed(pki, text, signer, clock))
    assert response.status_code == 303 and ocsp.requests == 2


def test_a_nonce_is_used_once_and_expires(citizen, pki, clock):
    first, second = new_draft(), new_draft()
    signer = pki.citizen(iin(APPLICANT))
    nonce, lang, text = offered(citizen, sign_url(first) + "?lang=en")
    assert post_cms(citizen, sign_url(first), nonce, lang,
                    signed(pki, text, signer, clock)).status_code == 303
    # the spent nonce, with a CMS over the same text, on another draft: refused
    refused_with(post_cms(citizen, sign_url(second), nonce, lang,
                          signed(pki, text, signer, clock)),
                 "This signing page has expired")
    # expiry: 4:59 is fine for the challenge, 5:00 is not
    nonce, lang, text = offered(citizen, sign_url(second) + "?lang=en")
    cms = signed(pki, text, signer, clock)
    clock.advance(minutes=5)
    refused_with(post_cms(citizen, sign_url(second), nonce, lang, cms),
                 "More than 5 minutes have passed")
    still_draft_count = db.session.scalar(sa.select(sa.func.count(Signature.id)))
    assert still_draft_count == 1


def test_nonce_at_4_59_is_accepted(citizen, pki, clock):
    draft = new_draft()
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    clock.advance(minutes=4, seconds=59)
    cms = signed(pki, text, pki.citizen(iin(APPLICANT)), clock)
    assert post_cms(citizen, sign_url(draft), nonce, lang, cms).status_code == 303


def test_someone_elses_draft_is_not_found(citizen, toy):
    other = new_draft(applicant="single_owner")
    assert citizen.get(sign_url(other)).status_code == 404
    assert citizen.post(sign_url(other), data={"cms": "x"}).status_code == 404


def test_signed_by_helper_for_the_receipt(citizen, pki, clock, toy):
    from portal.ecp.setup import signature_of

    draft = new_draft()
    assert signature_of(draft) is None
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    post_cms(citizen, sign_url(draft), nonce, lang,
             signed(pki, text, pki.citizen(iin(APPLICANT)), clock))
    with toy.test_request_context("/"), force_locale("ru"):
        found = signature_of(draft)
        assert found.method == "ecp" and found.signed_at == clock.now()
        assert found.label == "Подписано ЭЦП"


# --- Sign-in --------------------------------------------------------------------------------------

def test_sign_in_by_ecp_gives_a_session_for_the_certificates_iin(toy, pki, clock):
    client = toy.test_client()
    nonce, lang, text = offered(client, "/sign-in/ecp?lang=en")
    assert nonce in text
    cms = signed(pki, text, pki.citizen(iin(APPLICANT), purpose="auth"), clock)
    response = post_cms(client, "/sign-in/ecp", nonce, lang, cms)
    assert response.status_code == 303 and response.location.endswith("/cabinet")
    with client.session_transaction() as session:
        assert session["iin"] == iin(APPLICANT)
    assert client.get("/cabinet").status_code == 200
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.kind, event.iin, event.detail) == ("sign_in", iin(APPLICANT), "ecp")


def test_sign_in_nonce_cannot_be_replayed(toy, pki, clock):
    client = toy.test_client()
    nonce, lang, text = offered(client, "/sign-in/ecp?lang=en")
    cms = signed(pki, text, pki.citizen(iin(APPLICANT), purpose="auth"), clock)
    assert post_cms(client, "/sign-in/ecp", nonce, lang, cms).status_code == 303
    # an attacker replays the captured nonce and CMS from another browser that was given it
    thief = toy.test_client()
    offered(thief, "/sign-in/ecp?lang=en")
    with thief.session_transaction() as session:
        session["ecp_sign_in"] = nonce
    refused_with(post_cms(thief, "/sign-in/ecp", nonce, lang, cms),
                 "This signature has already been used")
    with thief.session_transaction() as session:
        assert "iin" not in session
    # and a browser that was not given the nonce is refused outright
    stranger = toy.test_client()
    refused_with(post_cms(stranger, "/sign-in/ecp?lang=en", nonce, lang, cms),
                 "This signing page has expired")


def test_sign_in_refuses_the_signing_key_and_expired_nonce(toy, pki, clock):
    client = toy.test_client()
    nonce, lang, text = offered(client, "/sign-in/ecp?lang=en")
    cms = signed(pki, text, pki.citizen(iin(APPLICANT), purpose="sign"), clock)
    refused_with(post_cms(client, "/sign-in/ecp", nonce, lang, cms), "Wrong key")
    nonce, lang, text = offered(client, "/sign-in/ecp?lang=en")
    clock.advance(minutes=5)
    cms = signed(pki, text, pki.citizen(iin(APPLICANT), purpose="auth"), clock)
    refused_with(post_cms(client, "/sign-in/ecp", nonce, lang, cms),
                 "More than 5 minutes have passed")
    with client.session_transaction() as session:
        assert "iin" not in session


def test_sign_in_page_links_to_ecp_and_csp_allows_ncalayer(toy):
    client = toy.test_client()
    page = client.get("/sign-in")
    assert 'href="/sign-in/ecp"' in page.get_data(as_text=True)
    assert "connect-src 'self' wss://127.0.0.1:13579" in page.headers["Content-Security-Policy"]
    assert db.session.scalar(sa.select(sa.func.count(SigningChallenge.id))) == 0


# --- Races: one nonce, several requests at once -------------------------------------------------

def _together(count: int, work) -> list:
    from tests.web.test_races_sign_in import together

    return together(count, work)


def _twin(app, client):
    from tests.web.test_races_sign_in import _clone

    return _clone(app, client)


def test_one_signature_when_the_same_cms_is_posted_at_once(toy, citizen, pki, clock):
    draft = new_draft()
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    cms = signed(pki, text, pki.citizen(iin(APPLICANT)), clock)
    twins, url = [_twin(toy, citizen) for _ in range(4)], sign_url(draft)
    codes = _together(4, lambda i: post_cms(twins[i], url, nonce, lang, cms).status_code)
    # one submits; the others see it spent, or (after the commit) a submitted draft: 303 too
    assert 303 in codes and set(codes) <= {200, 303}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Signature.id))) == 1
    assert db.session.get(Application, draft.id).status == AppStatus.SUBMITTED
    spent = db.session.scalar(sa.select(SigningChallenge).where(SigningChallenge.nonce == nonce))
    assert spent.used_at is not None


def test_one_sign_in_when_the_same_nonce_is_posted_at_once(toy, pki, clock):
    client = toy.test_client()
    nonce, lang, text = offered(client, "/sign-in/ecp?lang=en")
    cms = signed(pki, text, pki.citizen(iin(APPLICANT), purpose="auth"), clock)
    twins = [_twin(toy, client) for _ in range(4)]
    codes = _together(4, lambda i: post_cms(twins[i], "/sign-in/ecp?lang=en", nonce, lang,
                                            cms).status_code)
    assert codes.count(303) == 1 and codes.count(200) == 3
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.kind == "sign_in")).all()
    assert len(events) == 1


def test_code_page_offers_ecp_beside_the_sms_code(toy, citizen):
    from flask import render_template

    from portal.core.services.signing import CodeState
    from portal.core.signing_forms import CodeForm, CodePage
    from portal.ecp.routes import ecp_offer

    draft = new_draft()
    with toy.test_request_context("/?lang=en"):
        state = CodeState(phone="+77011234567", lifetime_minutes=5, wait_seconds=0,
                          delayed=False, locked=False, expired=False)
        page = CodePage(title="Sign", submit_label="Sign and submit", action="/x/submit",
                        resend_action="/x/resend", back_url="/x/check", back_label="Back",
                        state=state)
        html = render_template("signing/code.html", page=page, form=CodeForm(),
                               ecp=ecp_offer(draft))
        without = render_template("signing/code.html", page=page, form=CodeForm())
    assert 'name="code"' in html and "data-ecp-sign" in html and "<noscript>" in html
    assert f'action="/applications/{draft.id}/ecp"' in html
    assert 'name="code"' in without and "data-ecp-sign" not in without


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_ecp_pages_in_every_language(citizen, lang):
    from tests.web.pages import check_page

    draft = new_draft()
    check_page(citizen.get(f"{sign_url(draft)}?lang={lang}"), lang)
    anonymous = citizen.application.test_client()
    check_page(anonymous.get(f"/sign-in/ecp?lang={lang}"), lang)


def test_signed_by_line_for_the_receipt_and_status_pages(citizen, pki, clock, toy):
    from flask import render_template_string

    draft = new_draft()
    template = '<dl>{% include "signing/_signed_by.html" %}</dl>'
    with toy.test_request_context("/?lang=en"):
        assert "signed-by" not in render_template_string(template, application=draft)
    nonce, lang, text = offered(citizen, sign_url(draft) + "?lang=en")
    post_cms(citizen, sign_url(draft), nonce, lang,
             signed(pki, text, pki.citizen(iin(APPLICANT)), clock))
    with toy.test_request_context("/"), force_locale("kk"):
        html = render_template_string(template, application=draft)
    assert "Қалай қол қойылды" in html and "ЭЦҚ арқылы қол қойылған" in html
