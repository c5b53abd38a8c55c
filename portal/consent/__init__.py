"""The owner's side: a tiny page from the SMS link (/c/<token>), the same by typing the IIN and
the code at /consent, the signed-in owner's answer without a code, and the provider's webhooks
(replies to the SMS, delivery reports)."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from portal.citizens import current_citizen
from portal.consent.forms import ConsentCodeForm, OwnerCodeForm
from portal.domain.masking import mask_name
from portal.extensions import csrf, limiter
from portal.registries import registries
from portal.services import consent as consents
from portal.services import consent_answers, residence, sms_webhooks
from portal.web import render_page

bp = Blueprint("consent", __name__)

ANSWER_ERRORS = {
    consents.Answer.WRONG_CODE: _l("The code is wrong. Check the SMS from 1414 and try again."),
    consents.Answer.LOCKED: _l("Too many wrong codes: this request can no longer be answered "
                               "with a code. Sign in to the portal to answer it."),
}
NOT_FOUND = _l("We found no waiting request for this IIN and code. Check both; the request may "
               "have expired or been answered already.")
# Per address, generous (many phones share one carrier address): the per-request try counter
# does the real work against guessing; this only slows a scan of link tokens.
LINK_LIMIT = "120/hour;30/minute"
ENTER_LIMIT = "30/hour;10/minute"


def _masked(iin: str | None) -> str:
    person = registries().person(iin) if iin else None
    return mask_name(person.surname, person.given_name) if person else ""


def _page(consent, form, answered=None):
    application = consent.application
    citizen = current_citizen()
    subject = _masked(application.subject_iin) \
        if application.subject_iin != application.applicant_iin else ""
    return render_page(
        "consent/answer.html", consent=consent, form=form, answered=answered,
        applicant_masked=_masked(application.applicant_iin), subject_masked=subject,
        address=residence.address_of(application), time_left=consents.time_left(consent),
        from_delivery=consents.clock_from_delivery(consent),
        is_owner=citizen is not None and citizen.iin == consent.owner_iin)


@bp.route("/c/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def answer(token):
    """The page the SMS links to: what is asked, time left, the code, Agree or Refuse."""
    consent = consents.by_link(token)
    if consent is None:
        abort(404)
    form = ConsentCodeForm()
    citizen = current_citizen()
    signed_in_owner = citizen is not None and citizen.iin == consent.owner_iin
    if request.method == "POST":
        decision = request.form.get("decision")
        if decision not in ("agree", "refuse"):
            abort(400)
        if signed_in_owner:
            result = consent_answers.answer(consent, decision == "agree", via="cabinet")
        elif form.validate_on_submit():
            result = consent_answers.answer(consent, decision == "agree", via="link",
                                     code=form.code.data)
        else:
            return _page(consent, form)
        if result in ANSWER_ERRORS:
            form.code.errors.append(str(ANSWER_ERRORS[result]))
            return _page(consent, form)
        return _page(consent, form, answered=result)
    return _page(consent, form)


@bp.route("/consent", methods=["GET", "POST"])
@limiter.limit(ENTER_LIMIT, methods=["POST"])
def enter():
    """For an owner who types the code instead of following the link: with their IIN."""
    form = OwnerCodeForm()
    if form.validate_on_submit():
        problem, consent = consent_answers.by_owner_code(form.iin.data, form.code.data)
        if consent is not None:
            # The code was right: show the request with the code kept for the answer.
            return _page(consent, form)
        message = ANSWER_ERRORS[problem] if problem == consents.Answer.LOCKED else NOT_FOUND
        form.code.errors.append(str(message))
    return render_page("consent/enter.html", form=form)


def _provider_only() -> None:
    secret = current_app.config.get("SMS_INBOUND_SECRET") or ""
    given = request.headers.get("X-Webhook-Secret", "")
    if not secret or not hmac.compare_digest(secret.encode(), given.encode("utf-8", "replace")):
        abort(403)


@bp.route("/sms/inbound", methods=["POST"])
@csrf.exempt
def inbound_sms():
    """The SMS provider posts replies here: "123456" agrees, "ЖОҚ/НЕТ/NO 123456" refuses.
    Secured by a shared secret; the provider's message id makes a repeated post harmless."""
    _provider_only()
    try:
        answer_, _duplicate = sms_webhooks.receive_reply(request.get_json(silent=True))
    except sms_webhooks.BadPayload as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(answer_)


@bp.route("/sms/status", methods=["POST"])
@csrf.exempt
def delivery_report():
    """The provider's delivery reports (same shared secret): the owner's hour runs from here."""
    _provider_only()
    try:
        return jsonify(sms_webhooks.receive_status(request.get_json(silent=True)))
    except sms_webhooks.BadPayload as exc:
        return jsonify(error=str(exc)), 400
