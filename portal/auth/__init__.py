"""Citizen sign-in with a one-time code sent to the phone the mobile citizens' database holds.

Sessions are kept on the server (portal.auth.sessions); per-address limits and what the sign-in
page discloses are explained in portal.auth.limits; the rules for codes (tries, caps, cooldown,
a code shared by whoever holds the phone) in portal.services.codes.
"""

from __future__ import annotations

import functools

from flask import (
    Blueprint,
    abort,
    flash,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.domain.phones import mask_phone
from portal.extensions import db, limiter
from portal.models import AuditEvent, CodePurpose, OneTimeCode
from portal.registries import registries
from portal.services import codes, sms_texts
from portal.web import render_page

from . import limits, sessions
from .forms import CodeForm, IINForm

bp = Blueprint("auth", __name__)

CITIZEN = "iin"  # session key: the signed-in citizen's IIN (kept on the server only)
PENDING = "sign_in_code"  # session key: the id of the code being typed
NEXT = "next"


def current_citizen():
    """The signed-in person from the population registry, read once per request (kept in the
    request's environ rather than `g`, which an outer app context may share across requests)."""
    if not has_request_context():
        return None
    key = "mekenjai.citizen"
    if key not in request.environ:
        iin = session.get(CITIZEN)
        request.environ[key] = registries().person(iin) if iin else None
    return request.environ[key]


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_citizen() is None:
            session[NEXT] = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.sign_in"))
        return view(*args, **kwargs)

    return wrapped


@bp.app_context_processor
def citizen_context():
    return {"citizen": current_citizen()}


def _safe_next() -> str:
    target = session.pop(NEXT, None)
    return target if target and target.startswith("/") and not target.startswith("//") else url_for(
        "main.cabinet")


def refusal_message(refused: codes.CodeRefused) -> str:
    """Why no code was sent, and how long to wait (shared with application signing)."""
    minutes = max(1, (refused.seconds + 59) // 60)
    if refused.reason == "cooldown":
        return ngettext("You can ask for a new code in %(num)d second.",
                        "You can ask for a new code in %(num)d seconds.", refused.seconds)
    if refused.reason == "used":
        return _("This code has already been used. Ask for a new code.")
    return ngettext("Too many codes were sent to this phone. Try again in %(num)d minute.",
                    "Too many codes were sent to this phone. Try again in %(num)d minutes.",
                    minutes)


def _code_for(iin: str) -> tuple[str | None, OneTimeCode | None]:
    """(problem, code) for an IIN typed at /sign-in; raises CodeRefused, aborts with 429 when
    this address has asked about too many IINs (see portal.auth.limits)."""
    if not limits.may_look_up(iin):
        abort(429)
    person = registries().person(iin)
    problem = "unknown" if person is None else None if person.phone else "no_phone"
    if problem:
        if not limits.may_disclose():
            abort(429)
        return problem, None
    row, _sent = codes.obtain(CodePurpose.SIGN_IN, person.iin, person.phone, sms_texts.SIGN_IN)
    return None, row


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(limits.SIGN_IN_PER_IP, methods=["POST"])
def sign_in():
    """Step 1: the IIN. The code goes to the phone the registry holds, never one typed here.
    If that phone already has a live code, nothing is sent: the code page asks for that code."""
    form = IINForm()
    problem = None
    if form.validate_on_submit():
        try:
            problem, row = _code_for(form.iin.data)
        except codes.CodeRefused as refused:
            form.iin.errors.append(refusal_message(refused))
        else:
            if row is not None:
                session[PENDING] = row.id
                return redirect(url_for("auth.enter_code"), 303)
    return render_page("auth/sign_in.html", form=form, problem=problem)


def _pending_code() -> OneTimeCode | None:
    code_id = session.get(PENDING)
    row = db.session.get(OneTimeCode, code_id) if isinstance(code_id, int) else None
    return row if row and row.purpose == CodePurpose.SIGN_IN else None


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(limits.CODE_PER_IP, methods=["POST"])
def enter_code():
    """Step 2: the code from the SMS."""
    row = _pending_code()
    if row is None:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        result = codes.check(row, form.code.data, request.remote_addr)
        if result.check == codes.Check.OK:
            target = _safe_next()
            sessions.begin(**{CITIZEN: row.iin})
            request.environ.pop("mekenjai.citizen", None)
            db.session.add(AuditEvent(kind="sign_in", iin=row.iin, ip=request.remote_addr))
            db.session.commit()
            return redirect(target, 303)
        form.code.errors.append(code_error(result))
    return render_page("auth/code.html", form=form, masked_phone=mask_phone(row.phone),
                       locked=codes.is_locked(row), expired=codes.is_expired(row),
                       wait=codes.seconds_until_resend(row), delayed=codes.sms_delayed(row))


def code_error(result: codes.CheckResult) -> str:
    """The message for a code that was not accepted (shared with application signing)."""
    if result.check == codes.Check.WRONG:
        return ngettext("The code is wrong. You have %(num)d try left.",
                        "The code is wrong. You have %(num)d tries left.", result.attempts_left)
    if result.check == codes.Check.EXPIRED:
        return _("The code has expired. Ask for a new code.")
    if result.check == codes.Check.USED:
        return _("This code has already been used. Ask for a new code.")
    return _("Too many wrong codes: this code no longer works. Ask for a new code later.")


@bp.route("/sign-in/resend", methods=["POST"])
@limiter.limit(limits.RESEND_PER_IP)
def resend_code():
    row = _pending_code()
    if row is None:
        return redirect(url_for("auth.sign_in"))
    try:
        session[PENDING] = codes.resend(row, sms_texts.SIGN_IN).id
        flash(_("We have sent a new code."), "success")
    except codes.CodeRefused as refused:
        flash(refusal_message(refused), "warning")
    return redirect(url_for("auth.enter_code"), 303)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    iin = session.get(CITIZEN)
    sessions.end()
    request.environ.pop("mekenjai.citizen", None)
    if iin:
        db.session.add(AuditEvent(kind="sign_out", iin=iin, ip=request.remote_addr))
        db.session.commit()
    flash(_("You have signed out."), "success")
    return redirect(url_for("main.home"), 303)


def require_owner(application) -> None:
    """Applications are visible only to their applicant."""
    citizen = current_citizen()
    if citizen is None or application.applicant_iin != citizen.iin:
        abort(404)
