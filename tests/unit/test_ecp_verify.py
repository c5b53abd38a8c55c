"""ЭЦП verification: a good signature is accepted; each way a signature can be wrong is refused
with its own reason, never with an unhandled exception."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.ecp import (
    SIGNER_EMPLOYEE,
    EcpVerifier,
    HttpOcspChecker,
    NcaNodeVerifier,
    Reason,
    RevocationStatus,
    SignatureRejected,
    build_verifier,
    canonical_bytes,
    oids,
)
from tests.support_ecp.pki import FakeNca, make_cms
from tests.support_ecp.servers import NcaNodeStandIn, OcspResponder

IIN = "900101300017"
OTHER_IIN = "850315400123"
TEXT = "Mekenjai\nRegistration\nNumber: R-2026-000123\n".encode()


@pytest.fixture(scope="module")
def pki() -> FakeNca:
    return FakeNca()


@pytest.fixture(scope="module")
def now(pki) -> datetime:
    return pki.now.replace(microsecond=0) + timedelta(seconds=1)


@pytest.fixture(scope="module")
def citizen(pki):
    return pki.citizen(IIN)


@pytest.fixture
def trust_dir(pki, tmp_path):
    return pki.write_trust_dir(tmp_path / "trust")


@pytest.fixture
def verifier(trust_dir) -> EcpVerifier:
    return EcpVerifier(trust_dir)


def rejected(call) -> Reason:
    with pytest.raises(SignatureRejected) as info:
        call()
    return info.value.reason


# --- accepted ------------------------------------------------------------------------------

def test_good_attached_signature_names_the_signer(verifier, pki, citizen, now):
    cms = make_cms(TEXT, citizen, (pki.intermediate,), signing_time=now)
    sig = verifier.verify(cms, TEXT, IIN, "sign", now)
    assert (sig.iin, sig.full_name) == (IIN, "ТЕСТОВ ТЕСТ ТЕСТОВИЧ")
    assert sig.certificate_serial == format(citizen.cert.serial_number, "x")
    assert "ҰЛТТЫҚ" in sig.issuer
    assert sig.signing_time == now and sig.signing_time_from_attribute
    assert sig.revocation == RevocationStatus.NOT_CHECKED  # demo: says nothing was checked
    assert sig.verified_by == "builtin" and sig.algorithm == "sha256_rsa/sha256"
    assert sig.content == TEXT
    assert sig.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")


def test_detached_signature_with_the_expected_content(verifier, citizen, now):
    cms = make_cms(TEXT, citizen, attached=False, signing_time=now)
    assert verifier.verify(cms, TEXT, IIN, "sign", now).iin == IIN


def test_rsa_pss_signature(verifier, citizen, now):
    cms = make_cms(TEXT, citizen, pss=True, signing_time=now)
    assert verifier.verify(cms, TEXT, IIN, "sign", now).algorithm == "rsassa_pss/sha256"


def test_cms_made_by_another_library_verifies(verifier, citizen):
    """cryptography's PKCS7 builder (OpenSSL) makes the CMS: not only our own test encoder."""
    der = (
        pkcs7.PKCS7SignatureBuilder().set_data(TEXT)
        .add_signer(citizen.cert, citizen.key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    at = datetime.now(timezone.utc)
    sig = verifier.verify(base64.b64encode(der).decode(), TEXT, IIN, "sign", at)
    assert sig.iin == IIN


def test_no_signing_time_attribute_uses_the_verification_time(verifier, citizen, now):
    cms = make_cms(TEXT, citizen, with_signing_time=False)
    sig = verifier.verify(cms, TEXT, IIN, "sign", now)
    assert sig.signing_time == now and not sig.signing_time_from_attribute


def test_sign_in_with_the_authentication_key_reads_the_iin_from_the_certificate(
        verifier, pki, now):
    auth = pki.citizen(IIN, purpose="auth", key_index=3)
    cms = make_cms(b"nonce text", auth, signing_time=now)
    assert verifier.verify(cms, b"nonce text", None, "auth", now).iin == IIN


def test_staff_member_signs_with_an_employee_certificate(verifier, pki, now):
    staff = pki.citizen(OTHER_IIN, key_user=oids.ORGANIZATION_EMPLOYEE, key_index=4)
    cms = make_cms(TEXT, staff, signing_time=now)
    sig = verifier.verify(cms, TEXT, OTHER_IIN, "sign", now, key_users=SIGNER_EMPLOYEE)
    assert sig.iin == OTHER_IIN
    # ... and that certificate is not an individual's one:
    assert rejected(lambda: verifier.verify(cms, TEXT, OTHER_IIN, "sign", now)) \
        == Reason.WRONG_POLICY


def test_verifies_inside_a_running_event_loop(verifier, citizen, now):
    """Path validation is async inside pyhanko-certvalidator: a caller that already runs an
    event loop (an async server, Playwright's sync API) must still get an answer."""
    import asyncio
    import threading

    async def inside():
        return verifier.verify(make_cms(TEXT, citizen, signing_time=now), TEXT, IIN, "sign", now)

    result = {}
    # A thread of its own: the test session may already run a loop here (Playwright's).
    worker = threading.Thread(target=lambda: result.update(sig=asyncio.run(inside())))
    worker.start()
    worker.join(30)
    assert result["sig"].iin == IIN


def test_programming_errors_are_not_disguised_as_refusals(verifier, citizen, now):
    cms = make_cms(TEXT, citizen)
    with pytest.raises(ValueError):
        verifier.verify(cms, TEXT, None, "sign", now)  # a document needs its signer's IIN
    with pytest.raises(TypeError):
        verifier.verify(cms, TEXT.decode(), IIN, "sign", now)  # str, not the signed bytes
    with pytest.raises(ValueError):
        verifier.verify(cms, TEXT, IIN, "sign", now.replace(tzinfo=None))


# --- refused: content and cryptography -----------------------------------------------------

def test_other_content_is_refused(verifier, citizen, now):
    cms = make_cms(b"something else", citizen, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.CONTENT_MISMATCH


def _application_text(number: str) -> bytes:
    return canonical_bytes(service="Registration at the place of residence", reference=number,
                           nonce="n0nce", lines=[("Address", "Astana")], language="en")


def test_another_applications_text_is_refused(verifier, citizen, now):
    signed_for_a = make_cms(_application_text("R-1"), citizen, signing_time=now)
    assert rejected(lambda: verifier.verify(signed_for_a, _application_text("R-2"), IIN,
                                            "sign", now)) == Reason.CONTENT_MISMATCH
    detached_for_a = make_cms(_application_text("R-1"), citizen, attached=False,
                              signing_time=now)
    assert rejected(lambda: verifier.verify(detached_for_a, _application_text("R-2"), IIN,
                                            "sign", now)) == Reason.DIGEST_MISMATCH


def test_wrong_message_digest_is_refused(verifier, citizen, now):
    cms = make_cms(TEXT, citizen, signing_time=now, message_digest=b"\0" * 32)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.DIGEST_MISMATCH


def test_signature_by_another_key_is_refused(verifier, pki, citizen, now):
    impostor = type(citizen)(key=pki.citizen(OTHER_IIN, key_index=5).key, cert=citizen.cert)
    cms = make_cms(TEXT, impostor, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.BAD_SIGNATURE


@pytest.mark.parametrize("offset, ok", [
    (timedelta(minutes=-30), True), (timedelta(minutes=-30, seconds=-1), False),
    (timedelta(minutes=5), True), (timedelta(minutes=5, seconds=1), False),
])
def test_signing_time_must_be_close_to_now(verifier, citizen, now, offset, ok):
    cms = make_cms(TEXT, citizen, signing_time=now + offset)
    if ok:
        verifier.verify(cms, TEXT, IIN, "sign", now)
    else:
        assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
            == Reason.BAD_SIGNING_TIME


# --- refused: the certificate ----------------------------------------------------------------

def test_expired_certificate_is_refused(verifier, pki, now):
    old = pki.citizen(IIN, valid_from=now - timedelta(days=400),
                      valid_to=now - timedelta(seconds=1))
    cms = make_cms(TEXT, old, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) == Reason.EXPIRED


def test_not_yet_valid_certificate_is_refused(verifier, pki, now):
    early = pki.citizen(IIN, valid_from=now + timedelta(seconds=1))
    cms = make_cms(TEXT, early, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.NOT_YET_VALID


def test_chain_to_an_unknown_root_is_refused(verifier, now):
    stranger_ca = FakeNca(name="FAKE", key_offset=10)
    forged = stranger_ca.citizen(IIN)  # same subject, same IIN, self-made CA
    cms = make_cms(TEXT, forged, (stranger_ca.intermediate, stranger_ca.root), signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.UNTRUSTED_CHAIN


def test_intermediates_come_only_from_the_trust_store(pki, citizen, tmp_path, now):
    only_root = EcpVerifier(pki.write_trust_dir(tmp_path / "roots", intermediate=False))
    cms = make_cms(TEXT, citizen, (pki.intermediate,), signing_time=now)
    assert rejected(lambda: only_root.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.UNTRUSTED_CHAIN


def test_certificate_of_another_iin_is_refused(verifier, pki, now):
    someone = pki.citizen(OTHER_IIN, key_index=5)
    cms = make_cms(TEXT, someone, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.IIN_MISMATCH


def test_authentication_key_cannot_sign_a_document(verifier, pki, now):
    auth = pki.citizen(IIN, purpose="auth", key_index=3)
    cms = make_cms(TEXT, auth, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.WRONG_KEY_USAGE


def test_signature_key_cannot_sign_in(verifier, citizen, now):
    cms = make_cms(b"nonce", citizen, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, b"nonce", None, "auth", now)) \
        == Reason.WRONG_KEY_USAGE


def test_certificate_without_the_individual_key_user_is_refused(verifier, pki, now):
    bare = pki.citizen(IIN, key_user=None)
    cms = make_cms(TEXT, bare, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.WRONG_POLICY


# --- refused: revocation (a local OCSP responder) --------------------------------------------

@pytest.fixture
def ocsp_pki():
    pki = FakeNca(name="OCSP", key_offset=20)
    with OcspResponder(pki) as responder:
        pki.ocsp_url = responder.url + "/ocsp"  # certificates name it in their AIA
        yield pki, responder


@pytest.mark.parametrize("status, on_unknown, outcome", [
    ("good", "reject", RevocationStatus.GOOD),
    ("revoked", "reject", Reason.REVOKED),
    ("unknown", "reject", Reason.REVOCATION_UNKNOWN),
    ("unknown", "accept", RevocationStatus.UNKNOWN_ACCEPTED),
])
def test_ocsp(ocsp_pki, tmp_path, status, on_unknown, outcome):
    pki, responder = ocsp_pki
    cert = pki.citizen(IIN)
    responder.statuses[cert.cert.serial_number] = status
    v = EcpVerifier(pki.write_trust_dir(tmp_path / "t"),
                    ocsp=HttpOcspChecker(on_unknown=on_unknown, timeout=2))
    at = datetime.now(timezone.utc)
    call = lambda: v.verify(make_cms(TEXT, cert, signing_time=at), TEXT, IIN, "sign", at)  # noqa: E731
    if isinstance(outcome, Reason):
        assert rejected(call) == outcome
    else:
        assert call().revocation == outcome
    assert responder.requests == 1


def test_ocsp_responder_down_is_revocation_unknown(ocsp_pki, tmp_path):
    pki, responder = ocsp_pki
    cert = pki.citizen(IIN)
    responder.broken = True
    v = build_verifier(pki.write_trust_dir(tmp_path / "t"), ocsp="on")
    at = datetime.now(timezone.utc)
    assert rejected(lambda: v.verify(make_cms(TEXT, cert, signing_time=at), TEXT, IIN,
                                     "sign", at)) == Reason.REVOCATION_UNKNOWN


def test_ocsp_answer_signed_by_a_stranger_is_not_trusted(ocsp_pki, tmp_path):
    pki, responder = ocsp_pki
    cert = pki.citizen(IIN)
    responder.statuses[cert.cert.serial_number] = "good"
    responder.signer = FakeNca(name="EVIL", key_offset=10).intermediate
    v = EcpVerifier(pki.write_trust_dir(tmp_path / "t"), ocsp=HttpOcspChecker(timeout=2))
    at = datetime.now(timezone.utc)
    cms = make_cms(TEXT, cert, signing_time=at)
    assert rejected(lambda: v.verify(cms, TEXT, IIN, "sign", at)) == Reason.REVOCATION_UNKNOWN
    assert responder.requests == 1


@pytest.mark.parametrize("age, ok", [(timedelta(hours=1, minutes=4), True),
                                     (timedelta(hours=1, minutes=6), False)])
def test_stale_ocsp_answer_is_not_trusted(ocsp_pki, tmp_path, age, ok):
    """The answer is valid until nextUpdate (this_update + 1 h here), give or take 5 minutes."""
    pki, responder = ocsp_pki
    cert = pki.citizen(IIN)
    responder.age = age
    v = EcpVerifier(pki.write_trust_dir(tmp_path / "t"), ocsp=HttpOcspChecker(timeout=2))
    at = datetime.now(timezone.utc)
    cms = make_cms(TEXT, cert, signing_time=at)
    if ok:
        assert v.verify(cms, TEXT, IIN, "sign", at).revocation == RevocationStatus.GOOD
    else:
        assert rejected(lambda: v.verify(cms, TEXT, IIN, "sign", at)) \
            == Reason.REVOCATION_UNKNOWN


# --- refused: malformed input, never an unhandled exception ---------------------------------

@pytest.mark.parametrize("garbage", [
    "", "   ", "not base64 at all!", base64.b64encode(b"\x30\x03\x02\x01").decode(),
    base64.b64encode(b"hello world").decode(), "A" * 500_000,
    # a ContentInfo that is not SignedData (id-data)
    base64.b64encode(bytes.fromhex("300f06092a864886f70d010701a0020400")).decode(),
])
def test_malformed_cms_is_refused(verifier, now, garbage):
    assert rejected(lambda: verifier.verify(garbage, TEXT, IIN, "sign", now)) \
        == Reason.MALFORMED


def test_truncated_cms_and_cms_without_the_signer_certificate(verifier, citizen, now):
    der = base64.b64decode(make_cms(TEXT, citizen, signing_time=now))
    truncated = base64.b64encode(der[: len(der) // 2]).decode()
    assert rejected(lambda: verifier.verify(truncated, TEXT, IIN, "sign", now)) \
        == Reason.MALFORMED
    no_cert = (
        pkcs7.PKCS7SignatureBuilder().set_data(TEXT)
        .add_signer(citizen.cert, citizen.key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.NoCerts])
    )
    assert rejected(lambda: verifier.verify(base64.b64encode(no_cert).decode(), TEXT, IIN,
                                            "sign", now)) == Reason.MALFORMED


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_cms_is_always_a_signature_rejected(verifier, citizen, now, data):
    der = bytearray(base64.b64decode(make_cms(TEXT, citizen, signing_time=now)))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(der) - 1))
        der[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        der = der[: data.draw(st.integers(0, len(der)))]
    try:
        verifier.verify(base64.b64encode(bytes(der)).decode(), TEXT, IIN, "sign", now)
    except SignatureRejected:
        pass  # any reason, but always this exception


# --- GOST: refused without a verifier, verified through NCANode --------------------------

def test_gost_without_a_verifier_is_refused(verifier, citizen, now):
    cms = make_cms(TEXT, citizen, gost=True, signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.GOST_UNSUPPORTED


def test_gost_key_in_the_certificate_is_detected(verifier, citizen, now):
    """A real NCA GOST certificate carries a GOST public key (1.2.398.3.10.*): even a CMS that
    names an RSA algorithm is then sent to the GOST verifier, here absent."""
    from asn1crypto import x509 as a_x509
    from cryptography import x509

    cert = a_x509.Certificate.load(citizen.der)
    spki = cert["tbs_certificate"]["subject_public_key_info"]
    spki["algorithm"] = {"algorithm": "1.2.398.3.10.1.1.1.1"}
    gost_cert = x509.load_der_x509_certificate(cert.dump(force=True))
    cms = make_cms(TEXT, type(citizen)(key=citizen.key, cert=gost_cert), signing_time=now)
    assert rejected(lambda: verifier.verify(cms, TEXT, IIN, "sign", now)) \
        == Reason.GOST_UNSUPPORTED


@pytest.fixture
def ncanode(pki):
    with NcaNodeStandIn(pki) as node:
        yield node


def _gost_verifier(trust_dir, ncanode):
    return EcpVerifier(trust_dir, gost=NcaNodeVerifier(ncanode.url, timeout=2))


def test_gost_signature_through_ncanode(trust_dir, ncanode, citizen):
    at = datetime.now(timezone.utc)
    cms = make_cms(TEXT, citizen, gost=True, signing_time=at)
    sig = _gost_verifier(trust_dir, ncanode).verify(cms, TEXT, IIN, "sign", at)
    assert sig.verified_by == "ncanode" and sig.iin == IIN
    assert sig.revocation == RevocationStatus.GOOD
    assert ncanode.requests[-1]["cms"] == cms
    assert ncanode.requests[-1]["revocationCheck"] == ["OCSP"]
    assert "data" not in ncanode.requests[-1]


def test_detached_gost_signature_sends_the_data(trust_dir, ncanode, citizen):
    at = datetime.now(timezone.utc)
    cms = make_cms(TEXT, citizen, gost=True, attached=False, signing_time=at)
    _gost_verifier(trust_dir, ncanode).verify(cms, TEXT, IIN, "sign", at)
    assert base64.b64decode(ncanode.requests[-1]["data"]) == TEXT


def test_gost_refusals(trust_dir, ncanode, pki, citizen):
    v = _gost_verifier(trust_dir, ncanode)
    at = datetime.now(timezone.utc)
    good = make_cms(TEXT, citizen, gost=True, signing_time=at)
    # The content is still the portal's own check.
    assert rejected(lambda: v.verify(good, b"other", IIN, "sign", at)) \
        == Reason.CONTENT_MISMATCH
    assert rejected(lambda: v.verify(good, TEXT, OTHER_IIN, "sign", at)) == Reason.IIN_MISMATCH
    forged = type(citizen)(key=pki.citizen(OTHER_IIN, key_index=5).key, cert=citizen.cert)
    assert rejected(lambda: v.verify(make_cms(TEXT, forged, gost=True, signing_time=at), TEXT,
                                     IIN, "sign", at)) == Reason.BAD_SIGNATURE
    ncanode.revoked.add(citizen.cert.serial_number)
    assert rejected(lambda: v.verify(good, TEXT, IIN, "sign", at)) == Reason.REVOKED
    ncanode.status = 500
    assert rejected(lambda: v.verify(good, TEXT, IIN, "sign", at)) \
        == Reason.VERIFIER_UNAVAILABLE
    ncanode.status = 400
    assert rejected(lambda: v.verify(good, TEXT, IIN, "sign", at)) == Reason.MALFORMED


def test_gost_issuer_must_be_in_the_trust_store(trust_dir, ncanode):
    stranger = FakeNca(name="FAKE", key_offset=10)
    at = datetime.now(timezone.utc)
    cms = make_cms(TEXT, stranger.citizen(IIN), gost=True, signing_time=at)
    assert rejected(lambda: _gost_verifier(trust_dir, ncanode).verify(cms, TEXT, IIN, "sign",
                                                                      at)) \
        == Reason.UNTRUSTED_CHAIN
    assert ncanode.requests == []  # refused before asking


def test_ncanode_unreachable(trust_dir, citizen):
    v = EcpVerifier(trust_dir, gost=NcaNodeVerifier("http://127.0.0.1:9", timeout=1))
    at = datetime.now(timezone.utc)
    cms = make_cms(TEXT, citizen, gost=True, signing_time=at)
    assert rejected(lambda: v.verify(cms, TEXT, IIN, "sign", at)) \
        == Reason.VERIFIER_UNAVAILABLE


def test_build_verifier_settings(trust_dir):
    assert build_verifier(trust_dir).gost is None
    assert isinstance(build_verifier(trust_dir, ncanode_url="http://x").gost, NcaNodeVerifier)
    with pytest.raises(ValueError):
        build_verifier(trust_dir, ocsp="maybe")
    with pytest.raises(FileNotFoundError):
        build_verifier(trust_dir / "missing")
