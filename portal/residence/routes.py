"""Residence registration's step pages: who, address, path, reason, check (the steps and
their guard are declared in portal/residence/wizard.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal.channels import current_channel
from portal.core.citizens import current_citizen, login_required, requester
from portal.core.registries import RegistryUnavailable, registries
from portal.core.signing_forms import ecp_offer_for
from portal.core.web import render_page
from portal.domain.masking import mask_name
from portal.domain.residence import Path, SubjectProblem
from portal.residence.services import residence, submission

from . import texts
from .forms import REASON_LABELS, AddressForm, ReasonForm, WhoForm
from .wizard import WIZARD

bp = Blueprint("residence", __name__)


@bp.errorhandler(RegistryUnavailable)
def registry_unavailable(_error):
    """A state registry did not answer: say so; the draft is kept (nothing was written)."""
    residence.discard_changes()
    return render_page("residence/unavailable.html"), 503


@bp.route("/")
def start():
    """What the service is and what you need; starting makes a draft."""
    return render_page("residence/start.html")


@bp.route("/new", methods=["POST"])
@login_required
def new():
    """Start a new residence registration draft and go to its first step."""
    application = residence.new_draft(current_citizen().iin, channel=current_channel())
    return redirect(url_for("residence.who", app_id=application.id), 303)


@bp.route("/<int:app_id>")
@WIZARD.draft
def resume(application):
    """Open a draft at the first step it has not answered."""
    return WIZARD.redirect_resume(application)


@bp.route("/<int:app_id>/delete", methods=["POST"])
@WIZARD.draft
def delete_draft(application):
    """Delete this draft and all that hangs off it (not once it is signed)."""
    if residence.delete_draft(application):
        flash(_("The draft has been deleted."), "success")
    else:  # signed in another tab a moment ago: it stays
        flash(_("This application has already been submitted."), "success")
    return redirect(url_for("main.cabinet"), 303)


@bp.route("/<int:app_id>/who", methods=["GET", "POST"])
@WIZARD.step("who")
def who(application):
    """Step 1: myself, my child aged 14-16, or an adult in my guardianship."""
    applicant = current_citizen()
    choices = residence.choices(applicant)
    form = WhoForm(data={"person": application.subject_iin})
    form.person.choices = [SelectChoice(c.person.iin, c.person.full_name) for c in choices]
    by_iin = {c.person.iin: c for c in choices}
    if form.validate_on_submit():
        chosen = by_iin[form.person.data]
        if chosen.problem is SubjectProblem.CHILD_UNDER_14:
            # an answer, not a mistake: an interruption page says why and what to do instead
            return render_page("residence/child_under_14.html", application=application,
                               child=chosen.person)
        elif chosen.problem:
            form.person.errors.append(str(texts.SUBJECT_PROBLEMS[chosen.problem]))
        else:
            if chosen.person.iin != application.subject_iin:
                residence.save(application, subject_iin=chosen.person.iin, path_seen=False)
            return WIZARD.redirect_next("who", application)
    return render_page("residence/who.html", form=form, application=application,
                       choices=choices, texts=texts, **WIZARD.progress("who", application))


@bp.route("/<int:app_id>/address", methods=["GET", "POST"])
@WIZARD.step("address")
def address(application):
    """Step 2: search the address registry by street and house, then pick the flat."""
    query = (request.values.get("q") or "").strip()
    results = registries().search_addresses(query) if len(query) >= 2 else []
    suggestions = registries().address_suggestions(query) if query and not results else []
    form = AddressForm(data={"address_id": application.address_id})
    form.address_id.choices = [SelectChoice(a.id, a.label) for a in results]
    if form.validate_on_submit():  # among the addresses found for `q` (the form posts it)
        residence.save(application, address_id=form.address_id.data, path_seen=False)
        return WIZARD.redirect_next("address", application)
    return render_page("residence/address.html", "results", form=form, application=application,
                       query=query, results=results, suggestions=suggestions,
                       **WIZARD.progress("address", application))


@bp.route("/<int:app_id>/path", methods=["GET", "POST"])
@WIZARD.step("path")
def path(application):
    """Step 3: before going on, say which path this address takes and who must agree; or that
    an application like this one exists already (rule 6)."""
    applicant = current_citizen()
    found = submission.review(application, applicant, requester())
    if found.subject_problem:
        flash(str(texts.SUBJECT_PROBLEMS[found.subject_problem]), "warning")
        return redirect(url_for("residence.who", app_id=application.id), 303)
    if found.view is None:
        return WIZARD.redirect_resume(application)
    route = found.view.route
    can_go_on = route.online_possible and found.existing is None
    if request.method == "POST" and can_go_on:
        residence.accept_path(application, route)
        return WIZARD.redirect_next("path", application)
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
        offline_reason=texts.OFFLINE_REASONS.get(route.path),
        **WIZARD.progress("path", application))


def _own(existing, applicant) -> bool:
    """Whether the existing application is the applicant's own (linked to its page in the
    personal account) or another representative's (linked to its public status page)."""
    return bool(existing and existing.application
                and existing.application.applicant_iin == applicant.iin)


@bp.route("/<int:app_id>/reason", methods=["GET", "POST"])
@WIZARD.step("reason")
def reason(application):
    """Step 4: the reason for registration."""
    data = application.data or {}
    form = ReasonForm(data={"reason": data.get("reason"), "other": data.get("reason_other")})
    if form.validate_on_submit():
        residence.save(application, reason=form.reason.data,
                       reason_other=(form.other.data or "").strip()
                       if form.reason.data == "other" else "")
        return WIZARD.redirect_next("reason", application)
    return render_page("residence/reason.html", form=form, application=application,
                       **WIZARD.progress("reason", application))


@bp.route("/<int:app_id>/check")
@WIZARD.step("check")
def check(application):
    """Step 5: check your answers, each with a Change link, then sign."""
    found = submission.review(application, current_citizen(), requester())
    if found.subject_problem:
        flash(str(texts.SUBJECT_PROBLEMS[found.subject_problem]), "warning")
        return redirect(url_for("residence.who", app_id=application.id))
    if found.route_changed or found.existing:
        if found.route_changed:
            residence.path_unseen(application)
        return redirect(url_for("residence.path", app_id=application.id))
    return render_page("residence/check.html", **_summary(application, found.view),
                       ecp=ecp_offer_for(application), **WIZARD.progress("check", application))


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
