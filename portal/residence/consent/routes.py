"""The owner's side: a tiny page from the SMS link (/c/<token>), the same by typing the IIN and
the code at /consent, the signed-in owner's answer without a code, and the provider's webhooks
(replies to the SMS, delivery reports). Both pages are the shared code page (templates/signing/
code.html, built in portal.residence.consent.pages) with the shared CodeForm and
portal.core.signing_texts."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, jsonify, request

from portal.core.signing_forms import CodeForm
from portal.core.web import exempt_from_csrf
from portal.extensions import limiter
from portal.residence.consent.forms import OwnerCodeForm
from portal.residence.consent.pages import enter_page, is_owner, link_page, refusal
from portal.residence.services import consent as consents
from portal.residence.services import consent_answers, consent_reads, sms_webhooks

bp = Blueprint("consent", __name__)

# Per address, generous (many phones share one carrier address): the per-request try counter
# does the real work against guessing; this only slows a scan of link tokens.
LINK_LIMIT = "120/hour;30/minute"
ENTER_LIMIT = "30/hour;10/minute"


@bp.route("/c/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def answer(token):
    """The page the SMS links to: what is asked, time left, the code, Agree or Refuse."""
    consent = consent_reads.by_link(token)
    if consent is None:
        abort(404)
    form = CodeForm()
    if request.method == "POST":
        decision = request.form.get("decision")
        if decision not in ("agree", "refuse"):
            abort(400)
        if is_owner(consent):
            result = consent_answers.answer(consent, decision == "agree", via="cabinet")
        elif form.validate_on_submit():
            result = consent_answers.answer(consent, decision == "agree", via="link",
                                            code=form.code.data)
        else:
            return link_page(consent, form)
        if result in (consents.Answer.WRONG_CODE, consents.Answer.LOCKED):
            form.code.errors.append(refusal(result, consent))
            return link_page(consent, form)
        return link_page(consent, form, answered=result)
    return link_page(consent, form)


@bp.route("/consent", methods=["GET", "POST"])
@limiter.limit(ENTER_LIMIT, methods=["POST"])
def enter():
    """For an owner who types the code instead of following the link: with their IIN."""
    form = OwnerCodeForm()
    if form.validate_on_submit():
        problem, consent = consent_answers.by_owner_code(form.iin.data, form.code.data)
        if consent is not None:
            # The code was right: show the request with the code kept for the answer.
            return link_page(consent, form)
        form.code.errors.append(refusal(problem))
    return enter_page(form)


def _provider_only() -> None:
    secret = current_app.config.get("SMS_INBOUND_SECRET") or ""
    given = request.headers.get("X-Webhook-Secret", "")
    if not secret or not hmac.compare_digest(secret.encode(), given.encode("utf-8", "replace")):
        abort(403)


@bp.route("/sms/inbound", methods=["POST"])
@exempt_from_csrf
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
@exempt_from_csrf
def delivery_report():
    """The provider's delivery reports (same shared secret): the owner's hour runs from here."""
    _provider_only()
    try:
        return jsonify(sms_webhooks.receive_status(request.get_json(silent=True)))
    except sms_webhooks.BadPayload as exc:
        return jsonify(error=str(exc)), 400
