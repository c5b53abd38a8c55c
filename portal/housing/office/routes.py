"""Office views: thin; the rules are in portal.housing.office.staff (sign-in, sessions, audit)."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, abort, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from portal.core.registries.settlements import SETTLEMENTS
from portal.core.web import render_page
from portal.extensions import limiter
from portal.housing.office.services import housing_office
from portal.housing.office.staff import audit, signin
from portal.housing.office.staff.access import (
    clear_cookie,
    current_staff,
    set_cookie,
    staff_required,
    token,
)
from portal.housing.office.staff.models import Role
from portal.i18n import current_language

from . import texts
from .forms import AuditQuery, SetupForm, SignInForm, WorkListFilter

bp = Blueprint("office", __name__)

# Per address, on top of the per-account lockout: slows down guessing across many logins.
SIGN_IN_LIMIT = "10/minute;60/hour"


@bp.app_context_processor
def staff_context():
    # Only office pages read the staff cookie (it is scoped to /office anyway).
    if request.blueprint == "office":
        return {"staff": current_staff(), "action_label": texts.action_label,
                "role_names": texts.ROLES}
    return {}


def _locked_message(result: signin.Result) -> str:
    minutes = max(1, int((result.retry_after.total_seconds() + 59) // 60))
    return ngettext("Too many failed attempts. For security, sign-in to this account is "
                    "paused for %(num)d minute.",
                    "Too many failed attempts. For security, sign-in to this account is "
                    "paused for %(num)d minutes.", minutes)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def sign_in():
    """Login, password and the code from the authenticator app, in one form."""
    if current_staff() is not None:
        return redirect(url_for("office.work_list"))
    form = SignInForm()
    problem = None
    if form.validate_on_submit():
        result = signin.sign_in(form.login.data, form.password.data, form.code.data,
                                request.remote_addr)
        if result.outcome == signin.Outcome.SIGNED_IN:
            response = redirect(url_for("office.work_list"), 303)
            set_cookie(response, result.token)
            return response
        if result.outcome == signin.Outcome.SETUP:
            response = redirect(url_for("office.setup"), 303)
            set_cookie(response, result.token)
            return response
        problem = (_locked_message(result) if result.outcome == signin.Outcome.LOCKED else
                   _("The login, password or code is wrong. Check them and try again."))
    return render_page("office/sign_in.html", form=form, problem=problem)


@bp.route("/sign-in/set-up", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def setup():
    """First sign-in: scan the QR code, then type the app's first code."""
    member = signin.setup_member(token())
    if member is None:
        return redirect(url_for("office.sign_in"))
    form = SetupForm()
    if form.validate_on_submit():
        result = signin.confirm_setup(token(), form.code.data, request.remote_addr)
        if result.outcome == signin.Outcome.SIGNED_IN:
            response = redirect(url_for("office.work_list"), 303)
            set_cookie(response, result.token)
            return response
        if result.outcome == signin.Outcome.LOCKED:
            form.code.errors.append(_locked_message(result))
        else:
            form.code.errors.append(_("The code is wrong. Type the 6 digits the app shows now."))
        member = signin.setup_member(token())
        if member is None:
            return redirect(url_for("office.sign_in"))
    return render_page("office/setup.html", form=form, member=member,
                       secret=member.totp_secret, issuer=signin.TOTP_ISSUER)


@bp.route("/sign-in/set-up/qr.svg")
def setup_qr():
    """The QR code of the set-up, only for the half-signed-in staff member; never cached."""
    member = signin.setup_member(token())
    if member is None:
        abort(403)
    response = make_response(signin.qr_svg(member))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Ends the session on the server, then forgets the cookie."""
    signin.sign_out(token(), request.remote_addr)
    response = redirect(url_for("office.sign_in"), 303)
    clear_cookie(response)
    return response


def _chosen(field) -> str | None:
    return None if field.errors else field.data or None


@bp.route("/")
@staff_required()
def work_list():
    """Everything awaiting this staff member, overdue first, with the working days left."""
    staff = current_staff()
    form = WorkListFilter(request.args)
    codes = sorted(SETTLEMENTS) if staff.role == Role.HEAD else list(staff.settlements)
    lang = current_language()
    form.settlement.choices = [SelectChoice("", _("All my settlements"))] + [
        SelectChoice(code, SETTLEMENTS[code].name(lang)) for code in codes]
    form.kind.choices = [SelectChoice("", _("All kinds"))] + [
        SelectChoice(k, str(v)) for k, v in texts.KINDS.items()]
    form.validate()  # a value not offered is said on its field and filters nothing
    items = housing_office.work_list(staff, settlement=_chosen(form.settlement),
                                     kind=_chosen(form.kind))
    names = {code: s.name(lang) for code, s in SETTLEMENTS.items()}
    return render_page("office/work_list.html", form=form, items=items, kinds=texts.KINDS,
                       settlement_names=names)


@bp.route("/audit")
@staff_required(role=Role.HEAD)
def audit_trail():
    """The head reads everything staff did to one application (or the latest sign-ins)."""
    form = AuditQuery(request.args)
    records = None
    if request.args.get("application") and form.validate():
        records = audit.trail(form.application.data)
    return render_page("office/audit.html", form=form, records=records,
                       security=audit.recent_security_events() if records is None else [])


@bp.route("/audit/export")
@staff_required(role=Role.HEAD)
def audit_export():
    """One application's trail as a download, CSV (default) or JSON (?format=json) for an
    inspector; the export itself is recorded."""
    form = AuditQuery(request.args)
    if not request.args.get("application") or not form.validate():
        abort(404)
    application_id = form.application.data
    rows = audit.export_rows(audit.trail(application_id))
    audit.record_read(current_staff(), audit.Action.TRAIL_EXPORTED, application_id,
                      request.remote_addr, format=request.args.get("format", "csv"),
                      records=len(rows))
    if request.args.get("format") == "json":
        body = json.dumps({"application_id": application_id, "records": rows},
                          ensure_ascii=False, indent=1)
        response = make_response(body)
        response.mimetype = "application/json"
        extension = "json"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=audit.EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row | {"before": json.dumps(row["before"], ensure_ascii=False)
                                   if row["before"] is not None else "",
                                   "after": json.dumps(row["after"], ensure_ascii=False)
                                   if row["after"] is not None else ""})
        response = make_response(buffer.getvalue())
        response.mimetype = "text/csv"
        extension = "csv"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=audit-{application_id}.{extension}")
    response.headers["Cache-Control"] = "no-store"
    return response
