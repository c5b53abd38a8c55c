"""The owner's side: a tiny page from the SMS link (/c/<token>), the same by typing the code at
/consent, the signed-in owner's answer without a code, and replies to the SMS (webhook)."""

from __future__ import annotations

import hmac
import re

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Regexp

from portal.auth import current_citizen
from portal.domain.masking import mask_name
from portal.domain.phones import InvalidPhone, normalize_mobile
from portal.extensions import csrf, db, limiter
from portal.models import ConsentRequest, InboundSms
from portal.registries import registries
from portal.services import consent as consents
from portal.services import residence
from portal.web import render_page

bp = Blueprint("consent", __name__)

ANSWER_ERRORS = {
    consents.Answer.WRONG_CODE: _l("The code is wrong. Check the SMS from 1414 and try again."),
    consents.Answer.LOCKED: _l("Too many wrong codes: this request can no longer be answered "
                               "with a code. Sign in to the portal to answer it."),
}


class ConsentCodeForm(FlaskForm):
    code = StringField(_l("Code from the 1414 SMS"),
                       validators=[InputRequired(_l("Enter the code from the SMS")),
                                   Regexp(r"^\s*\d{6}\s*$", message=_l("The code is 6 digits"))])


def _page(consent: ConsentRequest, form, answered=None):
    application = consent.application
    applicant = registries().person(application.applicant_iin)
    citizen = current_citizen()
    return render_page(
        "consent/answer.html", consent=consent, form=form, answered=answered,
        applicant_masked=mask_name(applicant.surname, applicant.given_name) if applicant else "",
        address=residence.address_of(application), time_left=consents.time_left(consent),
        is_owner=citizen is not None and citizen.iin == consent.owner_iin)


@bp.route("/c/<token>", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
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
            result = consents.answer(consent, decision == "agree", via="cabinet")
        elif form.validate_on_submit():
            result = consents.answer(consent, decision == "agree", via="link",
                                     code=form.code.data)
        else:
            return _page(consent, form)
        if result in ANSWER_ERRORS:
            form.code.errors.append(str(ANSWER_ERRORS[result]))
            return _page(consent, form)
        return _page(consent, form, answered=result)
    return _page(consent, form)


@bp.route("/consent", methods=["GET", "POST"])
@limiter.limit("10/hour;3/minute", methods=["POST"])
def enter():
    """For an owner who types the code instead of following the link."""
    form = ConsentCodeForm()
    if form.validate_on_submit():
        consent = consents.by_code(form.code.data)
        if consent is not None:
            # The code was right: show the request with the code kept for the answer.
            return _page(consent, form)
        form.code.errors.append(_("We found no waiting request with this code. The code may "
                                  "have expired, or the request was already answered."))
    return render_page("consent/enter.html", form=form)


REPLY = re.compile(r"^\s*(?:(ЖОҚ|ЖОК|НЕТ|NO)\s+)?(\d{6})\s*$", re.IGNORECASE)


@bp.route("/sms/inbound", methods=["POST"])
@csrf.exempt
def inbound_sms():
    """The SMS provider posts replies here: "123456" agrees, "ЖОҚ/НЕТ/NO 123456" refuses.
    Secured by a shared secret; the provider's message id makes a repeated post harmless."""
    secret = current_app.config.get("SMS_INBOUND_SECRET") or ""
    given = request.headers.get("X-Webhook-Secret", "")
    if not secret or not hmac.compare_digest(secret, given):
        abort(403)
    payload = request.get_json(silent=True) or {}
    message_id, phone, text = (str(payload.get(k) or "") for k in ("id", "from", "text"))
    if not message_id or not phone:
        return jsonify(error="id and from are required"), 400
    seen = db.session.query(InboundSms).filter_by(provider_id=message_id).one_or_none()
    if seen is not None:
        return jsonify(outcome=seen.outcome, duplicate=True)
    outcome = _apply_reply(phone, text)
    db.session.add(InboundSms(provider_id=message_id, phone=phone, body=text[:500],
                              outcome=outcome))
    db.session.commit()
    return jsonify(outcome=outcome)


def _apply_reply(phone: str, text: str) -> str:
    try:
        phone = normalize_mobile(phone)
    except InvalidPhone:
        return "unknown_phone"
    match = REPLY.match(text.upper().replace("Ё", "Е"))
    if not match:
        return "not_understood"
    consent = consents.by_code(match.group(2), phone=phone)
    if consent is None:
        return "no_request"
    result = consents.answer(consent, agree=match.group(1) is None, via="sms",
                             code=match.group(2))
    return str(result) if result != consents.Answer.DONE else str(consent.status)
