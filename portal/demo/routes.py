"""Demo-only pages: the SMS outbox, so a tester can read the codes the portal "sent", a reply
form, so they can answer as an owner's phone would (an SMS reply with the code, or NO and the
code), through the same handler as the provider's webhook /sms/inbound, and the e-mail outbox,
the notices it "sent" to the addresses applicants gave.
Every view answers 404 unless DEMO_MODE is on (it is never on in production)."""

from __future__ import annotations

import re
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from portal.clock import ALMATY
from portal.core import mail, sms
from portal.core.web import render_page

bp = Blueprint("demo", __name__)

# One-time codes are six digits standing alone. Not part of an application number
# ("R-2026-000012"), a link ("/s/…123456"), a phone or a time: those are no codes.
CODE = re.compile(r"(?<![\w/+.:-])\d{6}(?![\w/-])")
NO_CODE = frozenset({"applicant_notice"})  # notices to the applicant never carry a code
SHOWN = 200
MAX_REPLY = 160  # one SMS: longer is no owner's reply

# What a reply did, as the outbox page says it (the provider's webhook answers with the code).
REPLY_OUTCOMES = {
    "confirmed": _l("The reply agreed: the consent is recorded."),
    "refused": _l("The reply refused: the refusal is recorded."),
    "wrong_code": _l("The code in the reply is wrong; one try is used."),
    "locked": _l("Too many wrong codes: this request can now be answered only by signing in."),
    "expired": _l("The hour to answer had passed: nothing was recorded."),
    "already": _l("This request was already answered or closed: nothing was recorded."),
    "no_request": _l("No request is waiting for an answer from this phone."),
    "not_understood": _l("The reply was not understood: send the code, or NO and the code."),
    "unknown_phone": _l("This is not a Kazakh mobile number."),
}


@bp.before_request
def demo_only():
    """Outside demo mode these pages do not exist, not even as a 403."""
    if not current_app.config.get("DEMO_MODE"):
        abort(404)


@bp.get("/sms")
def sms_outbox():
    """Stored SMS, newest first; htmx polls the table body (`rows`) every 5 seconds."""
    phone = request.args.get("phone", "").strip()[:32]
    digits = re.sub(r"\D", "", phone)[-10:]  # +7 701 …, 8701 … and 701 … find the same phone
    messages = sms.recent(digits, SHOWN)
    rows = [
        # The kk and ru halves of a message repeat its code: list each code once.
        {"message": m, "at": m.created_at.astimezone(ALMATY),
         "codes": [] if m.purpose in NO_CODE else list(dict.fromkeys(CODE.findall(m.body)))}
        for m in messages
    ]
    return render_page("demo/sms.html", fragment="rows", rows=rows, phone=phone)


@bp.get("/mail")
def mail_outbox():
    """Stored e-mail, newest first; htmx polls the list (`rows`) every 5 seconds."""
    address = request.args.get("to", "").strip()[:254]
    rows = [{"message": m, "at": m.created_at.astimezone(ALMATY)}
            for m in mail.recent(address, SHOWN)]
    return render_page("demo/mail.html", fragment="rows", rows=rows, address=address)


@bp.post("/sms/reply")
def sms_reply():
    """Answer as the phone `phone` would: the text goes through the SMS reply handler, the
    answer SMS (if any) appears in the outbox, and the page says what the reply did."""
    phone = request.form.get("phone", "").strip()[:32]
    text = request.form.get("text", "").strip()[:MAX_REPLY]
    if not phone or not text:
        flash(str(_l("Enter the phone number and the text of the reply.")), "error")
        return redirect(url_for("demo.sms_outbox", phone=phone or None))
    try:
        answer, _duplicate = sms.receive_reply(
            {"id": f"demo-{secrets.token_hex(8)}", "from": phone, "text": text})
    except ValueError:
        flash(str(REPLY_OUTCOMES["unknown_phone"]), "error")
        return redirect(url_for("demo.sms_outbox", phone=phone))
    outcome = answer.get("outcome", "")
    flash(str(REPLY_OUTCOMES.get(outcome, outcome)), "info")
    return redirect(url_for("demo.sms_outbox", phone=phone))
