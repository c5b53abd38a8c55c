"""Citizen sign-in with a one-time code sent to the phone the mobile citizens' database holds.

Sessions are kept on the server (portal.core.sessions); per-address limits and what the sign-in
page discloses are explained in portal.auth.limits; the rules for codes (tries, caps, cooldown,
a code shared by whoever holds the phone) in portal.core.services.codes.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth import limits
from portal.auth.forms import IINForm
from portal.channels import client_key
from portal.core import sessions
from portal.core.citizens import (  # noqa: F401 (re-exported: the citizen session)
    CITIZEN,
    NEXT,
    begin_session,
    current_citizen,
    forget,
    login_required,
    require_owner,
)
from portal.core.registries import registries
from portal.core.services import citizens, codes, signing
from portal.core.signing_forms import CodeForm, CodePage
from portal.core.signing_texts import code_error, refusal_message
from portal.core.web import render_page
from portal.extensions import limiter

bp = Blueprint("auth", __name__)

PENDING = "sign_in_code"  # session key: the id of the code being typed
ASKER = "sign_in_asker"  # session key: this session's own tag, which codes can be bound to


def _tag() -> str:
    """This session's own random tag: made when first needed, kept once a code is given."""
    if ASKER in session:
        return session[ASKER]
    return request.environ.setdefault("mekenjai.sign_in_asker", secrets.token_urlsafe(18))


def _hashed(tag: str | None) -> str | None:
    return hashlib.sha256(tag.encode()).hexdigest() if tag else None


def _asker() -> codes.Asker:
    """This session as the asker of a code (portal.core.services.codes: a code asked after a
    killed one is bound to its session, and caps count per session and address)."""
    return codes.Asker(_hashed(_tag()), client_key())


def _keep(row) -> None:
    session[PENDING] = row.id
    session[ASKER] = _tag()


def _is_local(target: str | None) -> bool:
    return bool(target) and target.startswith("/") and not target.startswith("//") and (
        "\\" not in target)


def _safe_next() -> str:
    target = session.pop(NEXT, None)
    return target if _is_local(target) else url_for("main.cabinet")


def _code_for(iin: str):
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
    return None, citizens.obtain_sign_in_code(person, _asker())


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(limits.SIGN_IN_PER_IP, methods=["POST"])
def sign_in():
    """Step 1: the IIN. The code goes to the phone the registry holds, never one typed here.
    If that phone already has a live code, nothing is sent: the code page asks for that code."""
    form = IINForm()
    problem = None
    if request.method == "GET" and _is_local(request.args.get("next")):
        # "Sign in to start" on a journey's first page: back to that journey, signed in.
        session[NEXT] = request.args["next"]
    if form.validate_on_submit():
        try:
            problem, row = _code_for(form.iin.data)
        except codes.CodeRefused as refused:
            form.iin.errors.append(refusal_message(refused))
        else:
            if row is not None:
                _keep(row)
                return redirect(url_for("auth.enter_code"), 303)
    return render_page("auth/sign_in.html", form=form, problem=problem)


def _pending_code():
    return citizens.pending_sign_in_code(session.get(PENDING), _hashed(session.get(ASKER)))


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
            begin_session(row.iin)
            citizens.signed_in(row.iin, request.remote_addr)
            return redirect(target, 303)
        form.code.errors.append(code_error(result))
    start = url_for("auth.sign_in")
    page = CodePage(title=_l("Enter the code"), submit_label=_l("Sign in"),
                    action=url_for("auth.enter_code"), resend_action=url_for("auth.resend_code"),
                    back_url=start, back_label=_l("Use another IIN"), restart_url=start,
                    state=signing.state_of(row))
    return render_page("signing/code.html", page=page, form=form)


@bp.route("/sign-in/resend", methods=["POST"])
@limiter.limit(limits.RESEND_PER_IP)
def resend_code():
    """Send the sign-in code again, once the cooldown allows."""
    row = _pending_code()
    if row is None:
        return redirect(url_for("auth.sign_in"))
    try:
        _keep(citizens.resend_sign_in_code(row, _asker()))
        flash(_("We have sent a new code."), "success")
    except codes.CodeRefused as refused:
        flash(refusal_message(refused), "warning")
    return redirect(url_for("auth.enter_code"), 303)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign out: the server-side session ends; back to the home page, which says so."""
    iin = session.get(CITIZEN)
    sessions.end()
    forget()
    if iin:
        citizens.signed_out(iin, request.remote_addr)
    flash(_("You have signed out."), "success")
    return redirect(url_for("main.home"), 303)
