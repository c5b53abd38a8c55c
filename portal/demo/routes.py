"""Demo-only pages: the SMS outbox, so a tester can read the codes the portal "sent", and the
e-mail outbox, the notices it "sent" to the addresses applicants gave.
Every view answers 404 unless DEMO_MODE is on (it is never on in production)."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, request

from portal.clock import ALMATY
from portal.core import mail, sms
from portal.core.web import render_page

bp = Blueprint("demo", __name__)

# One-time codes are six digits standing alone. Not part of an application number
# ("R-2026-000012"), a link ("/s/…123456"), a phone or a time: those are no codes.
CODE = re.compile(r"(?<![\w/+.:-])\d{6}(?![\w/-])")
NO_CODE = frozenset({"applicant_notice"})  # notices to the applicant never carry a code
SHOWN = 200


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
