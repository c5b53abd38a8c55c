"""ЭЦП on or off, from the settings: builds the verifier the signing core looks up in
`app.extensions["ecp_verifier"]`, the NCALayer address the CSP allows, and the template global
`signature_of(application)` the receipt and the status page use. Its pages (portal.ecp.routes)
read `enabled` here; create_app registers them (this module does not import them: no circle).

Settings (environment, read by portal.config unless the app is built with TESTING; a config
dict may give the same keys directly; production requires a trust dir and hard-fail OCSP,
portal.config.check_production):
  PORTAL_ECP_TRUST_DIR        ECP_TRUST_DIR         pinned NCA certificates; unset: ЭЦП off
  PORTAL_ECP_OCSP             ECP_OCSP              off (demo) | on (production's default)
  PORTAL_ECP_OCSP_URL         ECP_OCSP_URL          fixed responder, else the certificate's AIA
  PORTAL_ECP_OCSP_UNKNOWN     ECP_OCSP_UNKNOWN      reject | accept (never in production)
  PORTAL_ECP_OCSP_UNAVAILABLE ECP_OCSP_UNAVAILABLE  reject | accept (never in production)
  PORTAL_NCANODE_URL          NCANODE_URL           NCANode v3 for GOST keys (unset: GOST refused)
  PORTAL_NCALAYER_URL         NCALAYER_URL          wss://127.0.0.1:13579 (tests: the stand-in)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Flask

from portal import channels, config, ecp
from portal.core.services import signing

NCALAYER_URL = "wss://127.0.0.1:13579"
SIGN_IN = "sign_in"  # the SigningChallenge purpose of a sign-in nonce
AUTH_PURPOSES = frozenset({SIGN_IN})  # signed with the AUTHENTICATION key

def from_environment() -> dict:
    """The settings above that are set (portal.config reads them with the others)."""
    return config.ecp_from_environment()


class CoreVerifier:
    """Adapts portal.ecp's EcpVerifier to the signing core's Verifier interface: the core passes
    the text (str) and its own purposes ("submit", "sign_in"), and catches its own
    SignatureRejected; portal.ecp wants bytes and "sign"/"auth"."""

    def __init__(self, inner: ecp.EcpVerifier) -> None:
        self.inner = inner

    def verify(self, cms_b64: str, expected_content: str | bytes, expected_iin: str | None,
               purpose: str, at: dt.datetime, **kwargs: Any) -> ecp.VerifiedSignature:
        content = expected_content.encode("utf-8") if isinstance(expected_content, str) \
            else expected_content
        key = "auth" if purpose in AUTH_PURPOSES or purpose == "auth" else "sign"
        if not isinstance(cms_b64, str) or not cms_b64.strip():
            raise signing.SignatureRejected(ecp.Reason.MALFORMED.value, "empty")
        try:
            return self.inner.verify(cms_b64.strip(), content, expected_iin, key, at, **kwargs)
        except ecp.SignatureRejected as exc:
            raise signing.SignatureRejected(exc.reason.value, exc.detail) from None


def build(config) -> CoreVerifier | None:
    trust_dir = config.get("ECP_TRUST_DIR")
    if not trust_dir:
        return None
    return CoreVerifier(ecp.build_verifier(
        trust_dir, ocsp=config.get("ECP_OCSP") or "off", ocsp_url=config.get("ECP_OCSP_URL"),
        ocsp_unknown=config.get("ECP_OCSP_UNKNOWN") or "reject",
        ocsp_unavailable=config.get("ECP_OCSP_UNAVAILABLE") or "reject",
        ncanode_url=config.get("NCANODE_URL")))


def enabled(app: Flask) -> bool:
    return app.extensions.get("ecp_verifier") is not None


def offered(app: Flask) -> bool:
    """ЭЦП is offered only on the portal: a kiosk in a ЦОН hall is public, a key and its
    password must never be used on it (and it runs no NCALayer)."""
    return enabled(app) and channels.current_channel() == channels.PORTAL


@dataclass(frozen=True)
class SignedBy:
    """How an application was signed, for the receipt and the status page."""

    method: str  # "sms_code" | "ecp"
    signed_at: dt.datetime
    certificate_serial: str | None

    @property
    def label(self) -> str:
        from portal.ecp.texts import method_label

        return method_label(self.method)


def signature_of(application) -> SignedBy | None:
    found = signing.signature_of(application) if application is not None else None
    if found is None:
        return None
    return SignedBy(method=str(found.method), signed_at=found.signed_at,
                    certificate_serial=found.certificate_serial)


def init_app(app: Flask) -> None:
    # The PORTAL_ECP_* settings are in app.config already (portal.config.from_environment),
    # where check_production has judged them.
    verifier = build(app.config)
    app.extensions["ecp_verifier"] = verifier
    app.config.setdefault("NCALAYER_URL", NCALAYER_URL)
    # portal.core.web adds this to the CSP's connect-src: only where ЭЦП is on.
    app.config["CSP_CONNECT_SRC"] = app.config["NCALAYER_URL"] if verifier else ""
    app.jinja_env.globals.update(signature_of=signature_of, ecp_enabled=lambda: offered(app))
