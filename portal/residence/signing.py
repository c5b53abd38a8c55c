"""Residence registration's end: sign with an SMS code, submit, the done page and the receipt."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from portal.core.citizens import current_citizen, requester
from portal.core.services import applications, codes, signing
from portal.core.services.catalogue import Incomplete
from portal.core.signing_forms import CodeForm, CodePage, ecp_offer_for
from portal.core.signing_texts import code_error, refusal_message
from portal.core.web import render_page
from portal.extensions import limiter
from portal.residence.services import submission

from . import texts
from .routes import bp
from .wizard import WIZARD


@bp.route("/<int:app_id>/sign", methods=["POST"])
@WIZARD.draft
@limiter.limit("10/hour")
def send_signing_code(application):
    """Send (or resend) the one-time code that signs the application."""
    if WIZARD.missing(application):
        return WIZARD.redirect_missing(application)
    try:
        submission.send_signing_code(application, current_citizen(), requester().lang)
    except codes.CodeRefused as refused:
        flash(refusal_message(refused), "warning")
    return redirect(url_for("residence.sign", app_id=application.id), 303)


@bp.route("/<int:app_id>/sign", methods=["GET"])
@WIZARD.draft
def sign(application):
    """The page to type the signing code on (or sign with ЭЦП)."""
    row = submission.signing_code_of(application)
    if row is None:
        return redirect(url_for("residence.check", app_id=application.id))
    return _sign_page(application, row, CodeForm())


def _sign_page(application, row, form: CodeForm):
    check = url_for("residence.check", app_id=application.id)
    page = CodePage(title=_l("Sign the application"), submit_label=_l("Sign and submit"),
                    action=url_for("residence.submit", app_id=application.id),
                    resend_action=url_for("residence.send_signing_code", app_id=application.id),
                    back_url=check, back_label=_l("Back to your answers"), restart_url=check,
                    state=signing.state_of(row))
    return render_page("signing/code.html", page=page, form=form, application=application,
                       ecp=ecp_offer_for(application), **WIZARD.progress("check", application))


@bp.route("/<int:app_id>/submit", methods=["POST"])
@limiter.limit("30/hour")
@WIZARD.any_state
def submit(application):
    """Check the signing code and submit. A second click lands on the same result."""
    if not applications.is_draft(application):
        return redirect(url_for("residence.done", app_id=application.id), 303)
    if WIZARD.missing(application):
        return WIZARD.redirect_missing(application)
    row = submission.signing_code_of(application)
    if row is None:
        return redirect(url_for("residence.resume", app_id=application.id), 303)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            result = submission.sign_and_submit(application, current_citizen(), row,
                                                form.code.data, request.remote_addr,
                                                requester())
        except Incomplete:  # an answer went missing since the page was shown
            return WIZARD.redirect_missing(application)
        except submission.SubmissionRefused as refused:
            return _refused(application, refused)
        if result.check == codes.Check.OK:
            return redirect(url_for("residence.done", app_id=application.id), 303)
        form.code.errors.append(code_error(result))
    return _sign_page(application, row, form)


def _refused(application, refused: submission.SubmissionRefused):
    """Nothing was submitted and the code is still good: say why, and go where it can be
    put right."""
    flash(str(texts.SUBMISSION_REFUSED[refused.reason]), "warning")
    step = "check"
    if refused.reason == submission.Refused.SUBJECT:
        flash(str(texts.SUBJECT_PROBLEMS[refused.detail]), "warning")
        step = "who"
    elif refused.reason in (submission.Refused.ROUTE_CHANGED, submission.Refused.DUPLICATE):
        step = "path"
    return redirect(url_for(f"residence.{step}", app_id=application.id), 303)


@bp.route("/<int:app_id>/done")
@WIZARD.submitted
def done(application):
    """Submitted: the number, what happens next, the status link and its QR code."""
    return render_page("residence/done.html", application=application,
                       outcome_text=texts.OUTCOMES.get(application.outcome))


@bp.route("/<int:app_id>/receipt")
@WIZARD.submitted
def receipt(application):
    """The printable receipt (SPEC §2, "The paper receipt"), the applicant's own."""
    return render_page("residence/receipt.html",
                       receipt=submission.receipt_of(application, current_citizen(),
                                                      requester()))
