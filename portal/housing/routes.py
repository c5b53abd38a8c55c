"""The housing journey's steps, start to consents: parse, call one service, render or redirect.

Signing and submission are in signing.py; what follows submission in after.py."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal.channels import PORTAL, current_channel
from portal.clock import local_today
from portal.core.citizens import current_citizen, login_required
from portal.core.registries import RegistryUnavailable
from portal.core.web import accepts_files
from portal.domain.files import download_name
from portal.domain.housing import categories, eligibility
from portal.domain.housing.facts import Case
from portal.extensions import htmx
from portal.housing.services import documents, housing, housing_after, standing

from .forms import (
    RELATION_LABELS,
    CaseForm,
    CategoryForm,
    ConsentsForm,
    ContactsForm,
    ContinueForm,
    MemberForm,
    SettlementForm,
    UploadForm,
    WhoForm,
)
from .pages import (
    NO_CATEGORY,
    _lang,
    _page,
    _refusal,
    _unavailable,
    application_form,
    change_family,
    family_page,
    ground_rows,
    mark_too_large,
    settlement_name,
)
from .wizard import WIZARD

bp = Blueprint("housing", __name__)
public_bp = Blueprint("housing_public", __name__)  # /queue: a number's place, for anyone


@bp.route("/")
def start():
    """The housing waiting list's start page, with the citizen's drafts to continue."""
    citizen = current_citizen()
    standings = standing.standings(citizen) if citizen else []
    places = {held.id: housing_after.place_of(held) for _, held in standings if held}
    return _page("housing/start.html", drafts=housing.drafts_of(citizen.iin) if citizen else [],
                 form=ContinueForm(), standings=standings, places=places,
                 may_start=any(held is None for _, held in standings))


@bp.route("/new", methods=["POST"])
@login_required
def new():
    """Start a new housing list draft and go to its first step."""
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    if not standing.may_start(current_citizen()):  # everyone already applied: say where
        flash(_("You already have an application for the housing waiting list."), "warning")
        return redirect(url_for("housing.start"), 303)
    application = housing.new_draft(current_citizen().iin, channel=current_channel())
    return redirect(url_for("housing.who", app_id=application.id), 303)


@bp.route("/<int:app_id>")
@WIZARD.draft
def resume(application):
    """Open a draft at the first step it has not answered."""
    return WIZARD.redirect_resume(application)


@bp.route("/<int:app_id>/delete", methods=["POST"])
@WIZARD.draft
def delete(application):
    """Delete this draft and all that hangs off it (not once it is signed)."""
    if ContinueForm().validate_on_submit():
        if housing.delete_draft(application):
            flash(_("The draft is deleted."), "success")
        else:  # signed in another tab a moment ago: it stays
            flash(_("This application has already been submitted."), "success")
    return redirect(url_for("housing.start"), 303)


# --- 1. on whose behalf ----------------------------------------------------------------------

@bp.route("/<int:app_id>/who", methods=["GET", "POST"])
@WIZARD.step("who")
def who(application):
    """Step: the person to be put on the list (the applicant or a ward)."""
    citizen = current_citizen()
    people = standing.representable(citizen)
    form = WhoForm(data={"person": application.subject_iin})
    form.person.choices = [
        SelectChoice(p.iin, _("Myself: %(name)s", name=p.full_name) if p.iin == citizen.iin
                     else _("As legal representative: %(name)s", name=p.full_name))
        for p in people]
    if form.validate_on_submit():
        try:
            housing.save_who(application, citizen, form.person.data)
        except housing.HousingRefused as refused:
            form.person.errors.append(_refusal(refused))
        else:
            return WIZARD.redirect_next("who", application)
    return _page("housing/who.html", application, "who", form=form)


# --- 2. what the registries say ----------------------------------------------------------------

@bp.route("/<int:app_id>/registries", methods=["GET", "POST"])
@WIZARD.step("registries")
def registries(application):
    """Step: what the registries say about the person, each ground shown before any question."""
    try:
        facts = housing.facts_of(application)
    except RegistryUnavailable:
        return _unavailable(application)
    form = ContinueForm()
    if form.validate_on_submit():
        housing.mark_registries_seen(application, facts)
        return WIZARD.redirect_next("registries", application)
    today = local_today()
    grounds = housing.grounds_now(application, facts, preview=True, today=today)
    return _page("housing/registries.html", application, "registries", form=form, facts=facts,
                 grounds=ground_rows(grounds), today=today,
                 representative=housing.is_representative(application),
                 relation_labels=RELATION_LABELS)


# --- 3. the case, and the expert's conclusion ---------------------------------------------

@bp.route("/<int:app_id>/case", methods=["GET", "POST"])
@WIZARD.step("case")
def case(application):
    """Step: the case (no housing, emergency housing, ...)."""
    form = CaseForm(data={"case": housing.answer(application, "case")})
    if form.validate_on_submit():
        housing.save_case(application, form.case.data)
        return WIZARD.redirect_next("case", application)
    try:
        facts = housing.facts_of(application)
    except RegistryUnavailable:
        return _unavailable(application)
    suggested = eligibility.suggested_case(facts, local_today())
    return _page("housing/case.html", application, "case", form=form, suggested=suggested)


@bp.route("/<int:app_id>/conclusion", methods=["GET", "POST"])
@WIZARD.step("conclusion")
@accepts_files
def conclusion(application):
    """Step (emergency case): upload the conclusion that the dwelling is in emergency condition."""
    form = UploadForm()
    mark_too_large(form)
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("continue") and documents.has_conclusion(application):
            return WIZARD.redirect_next("conclusion", application)
        if current_channel() != PORTAL:
            # A kiosk takes no files (SPEC §3): its page offers "continue on your phone".
            abort(400)
        upload = form.file.data
        content = upload.read(documents.MAX_UPLOAD_BYTES + 1) if upload else b""
        if upload:
            upload.close()
        try:
            documents.store_document(application, "conclusion",
                                   upload.filename if upload else "", content)
        except housing.HousingRefused as refused:
            form.file.errors = [_refusal(refused)]
        else:
            flash(_("The file is attached."), "success")
            return redirect(url_for("housing.conclusion", app_id=application.id), 303)
    return _page("housing/conclusion.html", application, "conclusion", form=form,
                 documents=documents.documents_of(application, "conclusion"))


@bp.route("/<int:app_id>/documents/<int:doc_id>/delete", methods=["POST"])
@WIZARD.draft
def delete_document(application, doc_id):
    """Remove an uploaded document from the draft."""
    if ContinueForm().validate_on_submit():
        documents.remove_document(application, doc_id)
    return redirect(url_for("housing.conclusion", app_id=application.id), 303)


@bp.route("/<int:app_id>/documents/<int:doc_id>")
@WIZARD.any_state
def document(application, doc_id):
    """Download an uploaded document: only its applicant, as an attachment."""
    found = documents.document_of(application, doc_id)
    content = documents.document_content(found) if found is not None else None
    if content is None:
        abort(404)
    response = send_file(io.BytesIO(content), mimetype=found.mime, as_attachment=True,
                         download_name=download_name(found.kind, found.mime, found.id))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- 4. settlement -----------------------------------------------------------------------------

@bp.route("/<int:app_id>/settlement", methods=["GET", "POST"])
@WIZARD.step("settlement")
def settlement(application):
    """Step: the settlement whose list the person joins."""
    try:
        facts = housing.facts_of(application)
    except RegistryUnavailable:
        return _unavailable(application)
    today = local_today()
    emergency_at = (eligibility.emergency_settlement(facts, today)
                    if housing.answer(application, "case") == Case.EMERGENCY else None)
    default = emergency_at or housing.answer(application, "settlement") or \
        housing.current_settlement(facts)
    form = SettlementForm(data={"settlement": default})
    form.settlement.choices = [SelectChoice(code, settlement_name(code))
                               for code in housing.SETTLEMENTS]
    if form.validate_on_submit():
        try:
            housing.save_settlement(application, form.settlement.data)
        except housing.HousingRefused as refused:
            form.settlement.errors.append(_refusal(refused))
        else:
            return WIZARD.redirect_next("settlement", application)
    rule = {code: eligibility.meets_three_year_rule(facts, code, today)
            for code in housing.SETTLEMENTS}
    return _page("housing/settlement.html", application, "settlement", form=form, rule=rule,
                 exempt=eligibility.exempt_from_three_year_rule(facts, today),
                 emergency_at=emergency_at,
                 three_year=eligibility.three_year_rule_applies)


# --- 5. category -------------------------------------------------------------------------------

@bp.route("/<int:app_id>/category", methods=["GET", "POST"])
@WIZARD.step("category")
def category(application):
    """Step: the category (a priority list) or the general list."""
    try:
        facts = housing.facts_of(application)
    except RegistryUnavailable:
        return _unavailable(application)
    chosen = housing.answer(application, "category")
    seen = housing.answer(application, "category_seen")
    form = CategoryForm(data={"category": (chosen or NO_CATEGORY) if seen else None})
    lang = _lang()
    form.category.choices = [SelectChoice(NO_CATEGORY, _("None of these: the general list"))] + [
        SelectChoice(c.code, c.name(lang)) for c in categories.CATEGORIES]
    if form.validate_on_submit():
        housing.save_category(application,
                              None if form.category.data == NO_CATEGORY else form.category.data)
        return WIZARD.redirect_next("category", application)
    confirmed = {c.code for c in categories.CATEGORIES if categories.confirms(facts, c.code)}
    return _page("housing/category.html", application, "category", form=form,
                 confirmed=confirmed,
                 state=housing.category_state(application, facts) if chosen else None)


# --- 6. family members ---------------------------------------------------------------------

@bp.route("/<int:app_id>/family", methods=["GET", "POST"])
@WIZARD.step("family")
def family(application):
    """Step: the family members (rows added and removed without JavaScript)."""
    form = MemberForm()
    if request.method == "POST":
        action = request.form.get("action")
        if action == "continue" and ContinueForm().validate_on_submit():
            housing.confirm_family(application)
            return WIZARD.redirect_next("family", application)
        form = change_family(application, action, form)
        if not form.errors and not htmx:
            return redirect(url_for("housing.family", app_id=application.id), 303)
    return family_page(application, form, step="family")


# --- 7. contacts, 8. the application text and consents ---------------------------------------

@bp.route("/<int:app_id>/contacts", methods=["GET", "POST"])
@WIZARD.step("contacts")
def contacts(application):
    """Step: the phone and e-mail for the office's messages."""
    phone = housing.answer(application, "phone") or current_citizen().phone or ""
    form = ContactsForm(data={"phone": phone, "email": housing.answer(application, "email"),
                              "sms": housing.answer(application, "sms_consent", True)})
    if form.validate_on_submit():
        housing.save_contacts(application, form.phone.data.strip(), form.email.data,
                              form.sms.data)
        return WIZARD.redirect_next("contacts", application)
    return _page("housing/contacts.html", application, "contacts", form=form)


@bp.route("/<int:app_id>/consents", methods=["GET", "POST"])
@WIZARD.step("consents")
def consents(application):
    """Step: consent to the use of personal data, and that the answers are true."""
    form = ConsentsForm(data={
        "personal_data": housing.answer(application, "personal_data_consent", False),
        "truth": housing.answer(application, "truth_consent", False)})
    if form.validate_on_submit():
        try:
            housing.save_consents(application, form.personal_data.data, form.truth.data)
        except housing.HousingRefused as refused:
            form.personal_data.errors = [_refusal(refused)]
        else:
            return WIZARD.redirect_next("consents", application)
    try:
        filled = application_form(application)
    except RegistryUnavailable:
        return _unavailable(application)
    return _page("housing/consents.html", application, "consents", form=form,
                 applicant=current_citizen(), filled=filled)


# --- 9. check, sign, submitted ------------------------------------------------------------
