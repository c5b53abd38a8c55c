"""Registration by place of residence: one URL per step, a server-side draft behind them."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal.channels import current_channel
from portal.citizens import current_citizen, login_required
from portal.domain.masking import mask_name
from portal.domain.phones import mask_phone
from portal.domain.residence import Path
from portal.extensions import limiter
from portal.registries import RegistryUnavailable, registries
from portal.services import applications, codes, residence, submission
from portal.signing_forms import CodeForm
from portal.signing_texts import code_error, refusal_message
from portal.web import render_page

from . import definition, texts  # noqa: F401 (definition: registers the service)
from .forms import REASON_LABELS, AddressForm, ReasonForm, WhoForm

bp = Blueprint("residence", __name__)

STEPS = ("who", "address", "path", "reason", "check")


def _applicants(view, drafts_only: bool):
    @functools.wraps(view)
    @login_required
    def wrapped(app_id, *args, **kwargs):
        application = residence.draft_of(app_id, current_citizen().iin)
        if application is None:
            abort(404)
        if drafts_only and not applications.is_draft(application):
            # The back button after submission: nothing to edit any more.
            flash(_("This application has already been submitted."), "success")
            return redirect(url_for("status.show", token=application.status_token), 303)
        if not drafts_only and applications.is_draft(application):
            return redirect(url_for("residence.resume", app_id=application.id))
        return view(application, *args, **kwargs)

    return wrapped


def with_draft(view):
    """The signed-in applicant's draft; a submitted one goes to its status page."""
    return _applicants(view, drafts_only=True)


def with_submitted(view):
    """The signed-in applicant's submitted application; a draft goes back to its steps."""
    return _applicants(view, drafts_only=False)


@bp.errorhandler(RegistryUnavailable)
def registry_unavailable(_error):
    """A state registry did not answer: say so; the draft is kept (nothing was written)."""
    residence.discard_changes()
    return render_page("residence/unavailable.html"), 503


def step_url(step: str, application) -> str:
    """Where "Continue" goes: the next step, or back to the check page after a change."""
    if request.args.get("return_to") == "check" and step != "path":
        return url_for("residence.check", app_id=application.id)
    return url_for(f"residence.{step}", app_id=application.id)


def progress(step: str) -> dict:
    return {"step_number": STEPS.index(step) + 1, "step_count": len(STEPS)}


@bp.route("/")
def start():
    """What the service is and what you need; starting makes a draft."""
    return render_page("residence/start.html")


@bp.route("/new", methods=["POST"])
@login_required
def new():
    application = residence.new_draft(current_citizen().iin, channel=current_channel())
    return redirect(url_for("residence.who", app_id=application.id), 303)


@bp.route("/<int:app_id>")
@with_draft
def resume(application):
    return redirect(url_for(f"residence.{residence.first_missing_step(application)}",
                            app_id=application.id))


@bp.route("/<int:app_id>/delete", methods=["POST"])
@with_draft
def delete_draft(application):
    residence.delete_draft(application)
    flash(_("The draft has been deleted."), "success")
    return redirect(url_for("main.cabinet"), 303)


@bp.route("/<int:app_id>/who", methods=["GET", "POST"])
@with_draft
def who(application):
    """Step 1: myself, my child aged 14-16, or an adult in my guardianship."""
    applicant = current_citizen()
    choices = residence.choices(applicant)
    form = WhoForm(data={"person": application.subject_iin})
    form.person.choices = [SelectChoice(c.person.iin, c.person.full_name) for c in choices]
    by_iin = {c.person.iin: c for c in choices}
    if form.validate_on_submit():
        chosen = by_iin.get(form.person.data)
        if chosen is None:
            form.person.errors.append(_("Choose a person from the list"))
        elif chosen.problem:
            form.person.errors.append(str(texts.SUBJECT_PROBLEMS[chosen.problem]))
        else:
            if chosen.person.iin != application.subject_iin:
                residence.save(application, subject_iin=chosen.person.iin, path_seen=False)
            return redirect(step_url("address", application), 303)
    return render_page("residence/who.html", form=form, application=application,
                       choices=choices, texts=texts, **progress("who"))


@bp.route("/<int:app_id>/address", methods=["GET", "POST"])
@with_draft
def address(application):
    """Step 2: search the address registry by street and house, then pick the flat."""
    if not application.subject_iin:
        return redirect(url_for("residence.who", app_id=application.id))
    query = (request.values.get("q") or "").strip()
    results = registries().search_addresses(query) if len(query) >= 2 else []
    form = AddressForm(data={"address_id": application.address_id})
    form.address_id.choices = [SelectChoice(a.id, a.label) for a in results]
    if request.method == "POST" and form.validate_on_submit():
        picked = registries().address(form.address_id.data)
        if picked is None:
            form.address_id.errors.append(_("Choose an address from the list"))
        else:
            residence.save(application, address_id=picked.id, path_seen=False)
            return redirect(url_for("residence.path", app_id=application.id), 303)
    return render_page("residence/address.html", "results", form=form, application=application,
                       query=query, results=results, **progress("address"))


@bp.route("/<int:app_id>/path", methods=["GET", "POST"])
@with_draft
def path(application):
    """Step 3: before going on, say which path this address takes and who must agree; or that
    an application like this one exists already (rule 6)."""
    applicant = current_citizen()
    found = submission.review(application, applicant)
    if found.subject_problem:
        flash(str(texts.SUBJECT_PROBLEMS[found.subject_problem]), "warning")
        return redirect(url_for("residence.who", app_id=application.id), 303)
    if found.view is None:
        return redirect(url_for(f"residence.{residence.first_missing_step(application)}",
                                app_id=application.id))
    route = found.view.route
    can_go_on = route.online_possible and found.existing is None
    if request.method == "POST" and can_go_on:
        residence.accept_path(application, route)
        return redirect(step_url("reason", application), 303)
    centres = []
    if not route.online_possible and route.path != Path.LEASE_REFUSED:
        centres = registries().service_centres(found.view.dwelling.address.settlement_code
                                               if found.view.dwelling else None)
    return render_page(
        "residence/path.html", application=application, route=route, Path=Path,
        dwelling=found.view.dwelling, subject=residence.subject_of(application),
        address=residence.address_of(application), centres=centres, can_go_on=can_go_on,
        existing=found.existing, texts=texts, own=_own(found.existing, applicant),
        owners=[mask_name(o.surname, o.given_name) for o in route.consenting_owners],
        offline_reason=texts.OFFLINE_REASONS.get(route.path), **progress("path"))


def _own(existing, applicant) -> bool:
    """Whether the existing application is the applicant's own (linked to its page in the
    personal account) or another representative's (linked to its public status page)."""
    return bool(existing and existing.application
                and existing.application.applicant_iin == applicant.iin)


@bp.route("/<int:app_id>/reason", methods=["GET", "POST"])
@with_draft
def reason(application):
    """Step 4: the reason for registration."""
    if residence.first_missing_step(application) in ("who", "address", "path"):
        return redirect(url_for("residence.resume", app_id=application.id))
    data = application.data or {}
    form = ReasonForm(data={"reason": data.get("reason"), "other": data.get("reason_other")})
    if form.validate_on_submit():
        residence.save(application, reason=form.reason.data,
                       reason_other=(form.other.data or "").strip()
                       if form.reason.data == "other" else "")
        return redirect(url_for("residence.check", app_id=application.id), 303)
    return render_page("residence/reason.html", form=form, application=application,
                       **progress("reason"))


@bp.route("/<int:app_id>/check")
@with_draft
def check(application):
    """Step 5: check your answers, each with a Change link, then sign."""
    if residence.first_missing_step(application) != "check":
        return redirect(url_for("residence.resume", app_id=application.id))
    found = submission.review(application, current_citizen())
    if found.subject_problem:
        flash(str(texts.SUBJECT_PROBLEMS[found.subject_problem]), "warning")
        return redirect(url_for("residence.who", app_id=application.id))
    if found.route_changed or found.existing:
        if found.route_changed:
            residence.path_unseen(application)
        return redirect(url_for("residence.path", app_id=application.id))
    return render_page("residence/check.html", **_summary(application, found.view),
                       **progress("check"))


def _summary(application, view) -> dict:
    data = application.data or {}
    reason_text = str(REASON_LABELS.get(data.get("reason"), ""))
    if data.get("reason") == "other":
        reason_text = data.get("reason_other") or reason_text
    return {
        "application": application,
        "subject": residence.subject_of(application),
        "address": residence.address_of(application),
        "route": view.route,
        "Path": Path,
        "owners": [mask_name(o.surname, o.given_name) for o in view.route.consenting_owners],
        "reason_text": reason_text,
    }


@bp.route("/<int:app_id>/sign", methods=["POST"])
@with_draft
@limiter.limit("10/hour")
def send_signing_code(application):
    """Send (or resend) the one-time code that signs the application."""
    if residence.first_missing_step(application) != "check":
        return redirect(url_for("residence.resume", app_id=application.id), 303)
    try:
        submission.send_signing_code(application, current_citizen())
    except codes.CodeRefused as refused:
        flash(refusal_message(refused), "warning")
    return redirect(url_for("residence.sign", app_id=application.id), 303)


@bp.route("/<int:app_id>/sign", methods=["GET"])
@with_draft
def sign(application):
    row = submission.signing_code_of(application)
    if row is None:
        return redirect(url_for("residence.check", app_id=application.id))
    return _sign_page(application, row, CodeForm())


def _sign_page(application, row, form: CodeForm):
    return render_page("residence/sign.html", form=form, application=application,
                       masked_phone=mask_phone(row.phone), row=row,
                       code_minutes=current_app.config["SIGN_IN_CODE_MINUTES"],
                       wait=codes.seconds_until_resend(row), delayed=codes.sms_delayed(row),
                       **progress("check"))


@bp.route("/<int:app_id>/submit", methods=["POST"])
@limiter.limit("30/hour")
@login_required
def submit(app_id):
    """Check the signing code and submit. A second click lands on the same result."""
    application = residence.draft_of(app_id, current_citizen().iin)
    if application is None:
        abort(404)
    if not applications.is_draft(application):
        return redirect(url_for("residence.done", app_id=application.id), 303)
    row = submission.signing_code_of(application)
    if row is None or residence.first_missing_step(application) != "check":
        return redirect(url_for("residence.resume", app_id=application.id), 303)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            result = submission.sign_and_submit(application, current_citizen(), row,
                                                form.code.data, request.remote_addr)
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
@with_submitted
def done(application):
    """Submitted: the number, what happens next, the status link and its QR code."""
    return render_page("residence/done.html", application=application,
                       address=residence.address_of(application),
                       subject=residence.subject_of(application),
                       outcome_text=texts.OUTCOMES.get(application.outcome))


@bp.route("/<int:app_id>/receipt")
@with_submitted
def receipt(application):
    """The printable receipt (SPEC §2, "The paper receipt"), the applicant's own."""
    return render_page("residence/receipt.html",
                       receipt=submission.receipt_of(application, current_citizen()),
                       consent_minutes=current_app.config["CONSENT_MINUTES"])
