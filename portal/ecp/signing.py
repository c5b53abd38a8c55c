"""ЭЦП use cases for any journey: sign a draft and submit it, and sign in.

What is signed is built here from the journey's ServiceDefinition hooks (`signed_lines`) with
portal.ecp.canonical: the service's name, the draft's id (it has no number before it is
submitted), the check page's lines in the citizen's language, and a server nonce. The nonce is a
SigningChallenge (5 minutes, single use, bound to the application and the digest of the text).
Sign-in signs `sign_in_text` with the AUTHENTICATION key; the IIN is the certificate's.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from portal import ecp
from portal.clock import now
from portal.core.models import Application, AppStatus, AuditEvent
from portal.core.services import notices, signing
from portal.core.services.catalogue import ServiceDefinition, catalogue, require_complete
from portal.core.services.errors import Refused
from portal.core.services.requester import NOBODY, Requester
from portal.extensions import db

SIGN_IN = "sign_in"  # the challenge's purpose (portal.ecp.setup.AUTH_PURPOSES)
MAX_CMS_CHARS = 200_000  # a CMS from NCALayer is a few KB; refuse silly sizes before parsing

# The service line of the sign-in text: fixed words, never from a catalogue (see canonical.py).
SIGN_IN_SERVICE = {"kk": "Порталға кіру", "ru": "Вход на портал", "en": "Sign in to the portal"}


@dataclass(frozen=True)
class Challenge:
    nonce: str
    text: str  # exactly what NCALayer signs (UTF-8)

    @property
    def text_b64(self) -> str:
        return base64.b64encode(self.text.encode("utf-8")).decode("ascii")


def definition_for(application: Application) -> ServiceDefinition | None:
    if application.service not in catalogue:
        return None
    found = catalogue.of(application)
    return found if found.signs_with_ecp else None


def own_draft(app_id: int, iin: str) -> Application | None:
    """The citizen's own application that can be signed with ЭЦП, or None."""
    application = db.session.get(Application, app_id)
    if application is None or application.applicant_iin != iin:
        return None
    return application if definition_for(application) else None


def application_text(application: Application, nonce: str, language: str) -> str:
    """Call inside the citizen's language (flask_babel.force_locale): the labels are lazy."""
    definition = definition_for(application)
    lines = [(str(label), str(value)) for label, value in definition.signed_lines(application)]
    return signing.normalize(ecp.canonical_text(
        service=str(definition.name), reference=application.number or f"#{application.id}",
        nonce=nonce, lines=lines, language=language))


def sign_in_text(nonce: str, language: str) -> str:
    return signing.normalize(ecp.sign_in_text(service=SIGN_IN_SERVICE[language], nonce=nonce,
                                              language=language))


def _check_cms(cms_b64: str) -> None:
    if not cms_b64 or len(cms_b64) > MAX_CMS_CHARS:
        raise Refused(f"ecp_{ecp.Reason.MALFORMED.value}")


def new_challenge(text_for, application: Application | None = None,
                  purpose: str = signing.SUBMIT, iin: str | None = None) -> Challenge:
    """A fresh nonce and the text containing it (`text_for(nonce)`); committed."""
    signing.verifier()  # ЭЦП off: Refused("ecp_unavailable")
    nonce = ecp.new_nonce()
    text = text_for(nonce)
    signing.issue_challenge(nonce, text, purpose=purpose, application=application, iin=iin)
    db.session.commit()
    return Challenge(nonce, text)


def sign_and_submit(application: Application, nonce: str, cms_b64: str, text: str,
                    requester: Requester = NOBODY) -> bool:
    """Verify the CMS over `text`, record the Signature, submit through the service's hook and
    commit. True if submitted now; False if it was already submitted (a second tab). Raises
    Refused("ecp_<reason>" | "ecp_challenge_*" | "ecp_content_changed") or Incomplete (before
    the challenge is spent; the journey's submit_signed asks again as it submits)."""
    _check_cms(cms_b64)
    if application.status != AppStatus.DRAFT:
        return False
    require_complete(application)
    definition = definition_for(application)
    try:
        signature = signing.sign_with_ecp(application, application.applicant_iin, nonce,
                                          cms_b64, text)
        submitted = definition.submit_signed(application, signature, requester)
    except IntegrityError:  # the same draft signed twice at once: the other one won
        db.session.rollback()
        return False
    except Refused:
        db.session.rollback()
        raise
    if not submitted:
        db.session.rollback()
        return False
    notices.commit()  # and then the SMS the submission queued
    return True


def sign_in(nonce: str, cms_b64: str, text: str) -> str:
    """Verify a sign-in CMS (AUTHENTICATION key), use the nonce once; the certificate's IIN.
    Committed (the nonce is spent even if the caller then refuses the person)."""
    _check_cms(cms_b64)
    try:
        result = signing.verifier().verify(cms_b64, text, None, SIGN_IN, now())
    except signing.SignatureRejected as exc:
        raise Refused(f"ecp_{exc.reason}") from None
    signing.consume_challenge(nonce, SIGN_IN, None, text)
    db.session.commit()
    return result.iin



def audit(kind: str, iin: str | None, ip: str | None, detail: str = "") -> None:
    """A sign-in event, as the SMS sign-in records it (kind "sign_in"); detail "ecp"."""
    db.session.add(AuditEvent(kind=kind, iin=iin, ip=ip, detail=detail[:255]))
    db.session.commit()
