"""Signing with both methods, one Signature record: the SMS code (portal.core.services.codes as it
is, wrapped) and ЭЦП (a CMS handed to the configured verifier, a single-use nonce)."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest
import sqlalchemy as sa

from portal.core.models import Application, AppStatus, Signature, SmsMessage
from portal.core.services import signing
from portal.core.services.errors import Refused
from portal.extensions import db

IIN = "850314301209"
OTHER_IIN = "950702408104"
PHONE = "+77011234567"
TEXT = "Mekenjai\nRegistration at place of residence\nPerson: Жұмабаев Асқар  \r\n"
SMS_TEXT = "Mekenjai: code {code}"


def make() -> Application:
    application = Application(service="toy", applicant_iin=IIN, status=AppStatus.DRAFT,
                              data={}, status_token=secrets.token_urlsafe(16))
    db.session.add(application)
    db.session.commit()
    return application


def last_code() -> str:
    body = db.session.scalars(sa.select(SmsMessage.body).order_by(SmsMessage.id.desc())).first()
    return re.search(r"\d{6}", body).group(0)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- SMS code ---------------------------------------------------------------------------------

def test_a_right_code_records_the_signature_of_the_text(app, clock):
    application = make()
    row = signing.send_code(application, IIN, PHONE, SMS_TEXT)
    assert signing.signing_code(application).id == row.id
    signature = signing.sign_with_code(application, IIN, last_code(), TEXT)
    db.session.commit()
    stored = signing.signature_of(application)
    assert stored.id == signature.id and stored.method == "sms_code"
    assert stored.signer_iin == IIN and stored.signed_at == clock.now()
    assert stored.code_id == row.id and stored.cms is None
    assert stored.content == (
        "Mekenjai\nRegistration at place of residence\nPerson: Жұмабаев Асқар\n")
    assert stored.content_sha256 == signing.digest(TEXT)


def test_a_wrong_code_is_refused_with_the_tries_left(app):
    application = make()
    signing.send_code(application, IIN, PHONE, SMS_TEXT)
    with pytest.raises(signing.CodeRejected) as refused:
        signing.sign_with_code(application, IIN, wrong(last_code()), TEXT)
    assert refused.value.reason == "wrong" and refused.value.attempts_left == 4
    assert isinstance(refused.value, Refused)
    assert db.session.scalar(sa.select(sa.func.count(Signature.id))) == 0


def test_an_expired_code_at_exactly_its_lifetime(app, clock):
    application = make()
    signing.send_code(application, IIN, PHONE, SMS_TEXT)
    code = last_code()
    clock.advance(minutes=5)
    with pytest.raises(signing.CodeRejected) as refused:
        signing.sign_with_code(application, IIN, code, TEXT)
    assert refused.value.reason == "expired"


def test_a_code_is_personal(app):
    application = make()
    signing.send_code(application, IIN, PHONE, SMS_TEXT)
    with pytest.raises(signing.CodeRejected) as refused:
        signing.sign_with_code(application, OTHER_IIN, last_code(), TEXT)
    assert refused.value.reason == "missing"


def test_resend_in_the_cooldown_is_refused_with_the_wait(app, clock):
    application = make()
    signing.send_code(application, IIN, PHONE, SMS_TEXT)
    clock.advance(seconds=30)
    with pytest.raises(signing.CodeRejected) as refused:
        signing.send_code(application, IIN, PHONE, SMS_TEXT)
    assert refused.value.reason == "cooldown" and refused.value.seconds == 30
    clock.advance(seconds=30)
    again = signing.send_code(application, IIN, PHONE, SMS_TEXT)
    assert again.sends == 2  # the same record: wrong tries are not forgiven


def test_code_state_for_the_page(app, clock):
    application = make()
    row = signing.send_code(application, IIN, PHONE, SMS_TEXT)
    state = signing.state_of(row)
    assert (state.phone, state.lifetime_minutes, state.wait_seconds) == (PHONE, 5, 60)
    assert not state.locked and not state.expired


# --- ЭЦП ------------------------------------------------------------------------------------

class FakeVerifier:
    """Stands in for portal.ecp: accepts a CMS that is "signed:<iin>:<content>"."""

    class Result:
        certificate_serial = "3f1a"

    def __init__(self):
        self.calls = []

    def verify(self, cms_b64, expected_content, expected_iin, purpose, at):
        self.calls.append((expected_iin, purpose, at))
        if cms_b64 != f"signed:{expected_iin}:{expected_content}":
            raise signing.SignatureRejected("content_mismatch")
        return self.Result()


@pytest.fixture
def verifier(app):
    fake = app.extensions["ecp_verifier"] = FakeVerifier()
    yield fake
    app.extensions.pop("ecp_verifier", None)


def signed_text(nonce: str) -> str:
    return f"{signing.normalize(TEXT)}One-time code: {nonce}\n"


def test_ecp_signature_is_verified_and_stored_with_its_cms(app, clock, verifier):
    application = make()
    nonce = secrets.token_urlsafe(24)
    text = signed_text(nonce)
    signing.issue_challenge(nonce, text, application=application, iin=IIN)
    cms = f"signed:{IIN}:{text}"
    signature = signing.sign_with_ecp(application, IIN, nonce, cms, text)
    db.session.commit()
    assert signature.method == "ecp" and signature.cms == cms
    assert signature.certificate_serial == "3f1a" and signature.code_id is None
    assert verifier.calls == [(IIN, "submit", clock.now())]
    with pytest.raises(Refused) as again:  # a nonce is used once
        signing.sign_with_ecp(application, IIN, nonce, cms, text)
    assert again.value.reason == "ecp_challenge_used"


def test_ecp_rejections_become_refusals(app, clock, verifier):
    application = make()
    nonce = secrets.token_urlsafe(24)
    text = signed_text(nonce)
    signing.issue_challenge(nonce, text, application=application, iin=IIN)
    with pytest.raises(Refused) as refused:
        signing.sign_with_ecp(application, IIN, nonce, f"signed:{OTHER_IIN}:{text}", text)
    assert refused.value.reason == "ecp_content_mismatch"
    with pytest.raises(Refused) as changed:  # the draft changed since the nonce was issued
        signing.sign_with_ecp(application, IIN, nonce, "x", text + "Reason: other\n")
    assert changed.value.reason == "ecp_content_changed"
    other = make()
    with pytest.raises(Refused) as moved:  # the nonce belongs to another application
        signing.sign_with_ecp(other, IIN, nonce, f"signed:{IIN}:{text}", text)
    assert moved.value.reason == "ecp_challenge_unknown"


def test_ecp_nonce_expires_at_exactly_five_minutes(app, clock, verifier):
    application = make()
    nonce = secrets.token_urlsafe(24)
    text = signed_text(nonce)
    signing.issue_challenge(nonce, text, application=application, iin=IIN)
    db.session.commit()
    clock.advance(minutes=4, seconds=59)
    signing.consume_challenge(nonce, "submit", application, text)  # 4:59 is fine
    db.session.rollback()
    clock.advance(seconds=1)
    with pytest.raises(Refused) as refused:
        signing.sign_with_ecp(application, IIN, nonce, f"signed:{IIN}:{text}", text)
    assert refused.value.reason == "ecp_challenge_expired"


def test_without_a_verifier_ecp_is_unavailable(app):
    application = make()
    nonce = secrets.token_urlsafe(24)
    signing.issue_challenge(nonce, TEXT, application=application)
    with pytest.raises(Refused) as refused:
        signing.sign_with_ecp(application, IIN, nonce, "x", TEXT)
    assert refused.value.reason == "ecp_unavailable"


def test_digest_ignores_only_line_ends_and_trailing_spaces():
    assert signing.digest("a \r\nb") == signing.digest("a\nb")
    assert signing.digest("a\nb") != signing.digest("a\nB")
    assert signing.digest("е\u0301") == signing.digest("\u0435\u0301")  # NFC either way
    assert signing.CHALLENGE_LIFETIME == dt.timedelta(minutes=5)
