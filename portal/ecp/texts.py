"""What the citizen reads when an ЭЦП signature is refused: one text per reason code
(portal.ecp.Reason, and the challenge's own reasons from portal.core.services.signing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.core.services.errors import Refused, text_for

TRY_AGAIN = _l("The electronic signature could not be accepted. Try again, or sign with a "
               "code from an SMS.")

REFUSALS = {
    "ecp_malformed": _l("NCALayer did not return a signature we could read. Try again."),
    "ecp_content_mismatch": _l("The signed text is not the text of this application. Sign "
                               "again on this page."),
    "ecp_digest_mismatch": _l("The signature does not match the signed text. Sign again."),
    "ecp_bad_signature": _l("The signature does not match the signed text. Sign again."),
    "ecp_bad_signing_time": _l("The signature was made too long ago. Sign again."),
    "ecp_untrusted_chain": _l("This certificate was not issued by the National Certification "
                              "Authority of Kazakhstan."),
    "ecp_expired": _l("Your ЭЦП certificate has expired. Get a new one at pki.gov.kz or sign "
                      "with a code from an SMS."),
    "ecp_not_yet_valid": _l("Your ЭЦП certificate is not valid yet. Try again later or sign "
                            "with a code from an SMS."),
    "ecp_revoked": _l("Your ЭЦП certificate has been revoked. Get a new one at pki.gov.kz or "
                      "sign with a code from an SMS."),
    "ecp_revocation_unknown": _l("We could not check whether your ЭЦП certificate is still "
                                 "valid. Try again in a few minutes or sign with a code from "
                                 "an SMS."),
    "ecp_wrong_key_usage": _l("Wrong key: to sign an application choose the signing key "
                              "(RSA256 or GOSTKNCA), to sign in choose the authentication key "
                              "(AUTH_RSA256 or AUTH_GOST)."),
    "ecp_wrong_policy": _l("This certificate is not an individual's certificate. Choose your "
                           "personal ЭЦП."),
    "ecp_iin_mismatch": _l("This ЭЦП belongs to another person. Sign with your own ЭЦП."),
    "ecp_gost_unsupported": _l("Signatures with a GOST key cannot be checked here yet. Choose "
                               "your RSA key or sign with a code from an SMS."),
    "ecp_verifier_unavailable": _l("We could not check the signature just now. Try again in a "
                                   "few minutes or sign with a code from an SMS."),
    "ecp_unavailable": _l("Signing with ЭЦП is not available on this portal. Sign with a code "
                          "from an SMS."),
    "ecp_challenge_unknown": _l("This signing page has expired. Sign again on the new page."),
    "ecp_challenge_used": _l("This signature has already been used. Sign again on the new "
                             "page."),
    "ecp_challenge_expired": _l("More than 5 minutes have passed since the page was opened. "
                                "Sign again on the new page."),
    "ecp_content_changed": _l("The application changed after the page was opened. Check it "
                              "and sign again."),
}

METHODS = {
    "ecp": _l("Signed with ЭЦП"),
    "sms_code": _l("Signed with a code from an SMS"),
}


def refusal(refused: Refused, definition=None) -> str:
    """The service's own text for its refusals (its definition's refusal_texts), else ours."""
    own = definition.refusal_texts if definition is not None else {}
    if refused.reason in own:
        return text_for(refused, own)
    return str(REFUSALS.get(refused.reason, TRY_AGAIN))


def method_label(method: str) -> str:
    label = METHODS.get(method)
    return str(label) if label is not None else method


UNKNOWN_PERSON = _l("The population registry has no person with the IIN of this certificate. "
                    "Visit a Public Service Centre (ЦОН) with your identity card.")
