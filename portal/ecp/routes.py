"""Signing with ЭЦП through NCALayer, for any journey whose ServiceDefinition has the
`signed_lines` / `submit_signed` hooks, and signing in with ЭЦП.

- GET  /applications/<id>/ecp    the text to sign (a fresh nonce) and the NCALayer form
- POST /applications/<id>/ecp    the CMS: verified, stored (Signature), the draft submitted
- GET  /sign-in/ecp              a sign-in nonce to sign with the AUTHENTICATION key
- POST /sign-in/ecp              the CMS: the certificate's IIN is signed in

`ecp_offer(application)` gives the shared code page (templates/signing/code.html) what its
`{% include "signing/_ecp.html" %}` needs, so a journey can offer ЭЦП beside the SMS code.
Without JavaScript the page offers the SMS code only, and says so (<noscript>).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import force_locale

from portal.core import signing_texts
from portal.core.citizens import begin_session, current_citizen, login_required, requester
from portal.core.registries import registries
from portal.core.services.catalogue import Incomplete, catalogue
from portal.core.services.errors import Refused
from portal.core.signing_forms import EcpForm, EcpOffer
from portal.core.web import render_page
from portal.ecp import signing as ecp_signing
from portal.ecp import texts
from portal.ecp.setup import offered
from portal.extensions import limiter
from portal.i18n import current_language

bp = Blueprint("ecp", __name__)

SIGN_IN_NONCE = "ecp_sign_in"  # session key: the sign-in nonce this browser was given
NEXT = "next"  # the same key portal.auth.routes uses for where to go after signing in


def _offer(action: str, challenge: ecp_signing.Challenge, purpose: str, iin: str) -> EcpOffer:
    return EcpOffer.of(action, challenge, current_language(), iin, purpose)


def ecp_offer(application) -> EcpOffer | None:
    """For a journey's code page: the ЭЦП form for this draft, or None (ЭЦП off, or the
    service does not sign with ЭЦП). Issues a nonce (committed)."""
    if not offered(current_app) or ecp_signing.definition_for(application) is None:
        return None
    language = current_language()
    challenge = ecp_signing.new_challenge(
        lambda nonce: ecp_signing.application_text(application, nonce, language),
        application=application, iin=application.applicant_iin)
    return _offer(url_for("ecp.sign_application", app_id=application.id), challenge, "sign",
                  application.applicant_iin)


def _language(form: EcpForm) -> str:
    chosen = form.lang.data
    return chosen if chosen in current_app.config["LANGUAGES"] else current_language()


def _missing(application):
    """The journey's resume page sends the draft on to the first step that is missing."""
    definition = catalogue.of(application)
    flash(str(signing_texts.INCOMPLETE), "warning")
    return redirect(url_for(definition.resume_endpoint, **definition.endpoint_args(application)),
                    303)


def _done_url(application) -> str:
    definition = catalogue.of(application)
    return url_for(definition.done_endpoint, **definition.endpoint_args(application))


@bp.route("/applications/<int:app_id>/ecp", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@login_required
def sign_application(app_id: int):
    """Sign a complete draft with ЭЦП (any journey's) and submit it through its service."""
    if not offered(current_app):
        abort(404)
    application = ecp_signing.own_draft(app_id, current_citizen().iin)
    if application is None:
        abort(404)
    if application.status != "draft":
        return redirect(_done_url(application), 303)
    if catalogue.of(application).missing_step(application):
        return _missing(application)  # no signing page for a draft with an answer missing
    form = EcpForm()
    error = None
    if form.validate_on_submit():
        language = _language(form)
        try:
            with force_locale(language):
                text = ecp_signing.application_text(application, form.nonce.data or "-",
                                                    language)
            ecp_signing.sign_and_submit(application, form.nonce.data, form.cms.data, text,
                                        requester())
        except Incomplete:  # an answer went missing while the page was open
            return _missing(application)
        except Refused as refused:
            error = texts.refusal(refused, catalogue.of(application))
        else:
            return redirect(_done_url(application), 303)
    offer = ecp_offer(application)
    return render_page("ecp/sign.html", ecp=offer, error=error,
                       service=catalogue.of(application))


def _next_url() -> str:
    target = session.pop(NEXT, None)
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.cabinet")


@bp.route("/sign-in/ecp", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def sign_in():
    """Sign in with ЭЦП: the certificate's IIN opens a new session."""
    if not offered(current_app):
        abort(404)
    form = EcpForm()
    error = None
    if form.validate_on_submit():
        issued = session.pop(SIGN_IN_NONCE, None)
        language = _language(form)
        try:
            if not issued or issued != form.nonce.data:
                raise Refused("ecp_challenge_unknown")
            iin = ecp_signing.sign_in(issued, form.cms.data,
                                      ecp_signing.sign_in_text(issued, language))
            if registries().person(iin) is None:
                raise Refused("ecp_unknown_person")
        except Refused as refused:
            error = texts.refusal(refused) if refused.reason != "ecp_unknown_person" else \
                str(texts.UNKNOWN_PERSON)
            ecp_signing.audit("sign_in_refused", None, request.remote_addr, refused.reason)
        else:
            target = _next_url()
            begin_session(iin)
            ecp_signing.audit("sign_in", iin, request.remote_addr, "ecp")
            return redirect(target, 303)
    language = current_language()
    challenge = ecp_signing.new_challenge(
        lambda nonce: ecp_signing.sign_in_text(nonce, language), purpose=ecp_signing.SIGN_IN)
    session[SIGN_IN_NONCE] = challenge.nonce
    offer = _offer(url_for("ecp.sign_in"), challenge, "auth", "")
    return render_page("ecp/sign_in.html", ecp=offer, error=error)


def init_app(app) -> None:
    """The pages, and the offer the shared code page shows beside the SMS code."""
    app.register_blueprint(bp)
    app.extensions["ecp_offer"] = ecp_offer  # portal.core.signing_forms.ecp_offer_for
