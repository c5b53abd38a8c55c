"""After submission: the done page, the receipt, the status page and its QR code, the public
queue look-up, withdrawal, the objection before the hearing, complaints, new contacts."""

from __future__ import annotations

import datetime as dt
import io

import qrcode
import qrcode.image.svg
from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal.clock import now
from portal.core.citizens import current_citizen
from portal.core.registries import RegistryUnavailable
from portal.core.services import notices, signing
from portal.core.web import accepts_files
from portal.domain.housing import categories, deadlines
from portal.domain.housing.facts import Case
from portal.domain.statuses import AppStatus
from portal.extensions import htmx
from portal.housing import labels
from portal.housing.services import documents, housing, housing_after

from . import texts
from .forms import (
    CategoryRecheckForm,
    ComplaintForm,
    ContactsForm,
    ContinueForm,
    MemberForm,
    ObjectionForm,
    QueueLookupForm,
)
from .pages import (
    _lang,
    _page,
    _refusal,
    _unavailable,
    change_family,
    family_page,
    ground_rows,
    mark_too_large,
    receipt_rows,
    settlement_name,
)
from .routes import bp, public_bp
from .wizard import WIZARD


def _result(application) -> dict:
    data = application.data or {}
    submitted = application.submitted_at
    return {
        "status_label": texts.STATUSES.get(application.status, application.status),
        "decision_due": _decision_due(application),
        "notice_due": deadlines.notice_due(submitted) if submitted else None,
        "place": housing_after.place_of(application),
        "grounds": ground_rows(data.get("grounds", [])),
        "hearing_at": housing_after.hearing_moment(data),
        "hearing_way": labels.hearing_way(data),
        "window_open": housing_after.objection_open(application),
        "status_link": notices.public_url_for("housing.public_status",
                                              token=application.status_token),
        "qr_url": url_for("housing.qr", token=application.status_token),
        "settlement": settlement_name(data.get("settlement")),
        "case": texts.CASES.get(data.get("case", ""), ""),
        # a decision is complained about only once there is one; else an action or a delay
        "complaint_subjects": [s.value for s in housing_after.complaint_subjects(application)],
        "taken_on": deadlines.counts_from(submitted) if submitted else None,
    }


def _decision_due(application) -> dt.date | None:
    """The real latest day of the decision: after a preliminary refusal the final decision's
    (the notice limit the hearing counts back from [002 p.16–17]), else the one stored at
    submission (deadlines.decision_due)."""
    data, submitted = application.data or {}, application.submitted_at
    if submitted is None:
        return None
    if application.status == AppStatus.PRELIMINARY_REFUSAL:
        stored = data.get("notice_due")
        return dt.date.fromisoformat(stored) if stored else deadlines.notice_due(submitted)
    stored = data.get("decision_due")
    return dt.date.fromisoformat(stored) if stored else deadlines.decision_due(
        Case(data.get("case", Case.NO_HOUSING)), submitted)


@bp.route("/<int:app_id>/done")
@WIZARD.submitted
def done(application):
    """Submitted: the number, the system's decision and what happens next."""
    return _page("housing/done.html", application, **_result(application))


@bp.route("/<int:app_id>/receipt")
@WIZARD.submitted
def receipt(application):
    """The printable receipt, the applicant's own."""
    try:
        facts = housing.facts_of(application)
    except RegistryUnavailable:
        return _unavailable(application)
    signature = signing.signature_of(application)
    return _page("housing/receipt.html", application, subject=facts.applicant if facts else None,
                 applicant=current_citizen(), rows=receipt_rows(application, masked=False),
                 signed_text=signature.content if signature else "", **_result(application))


@bp.route("/<int:app_id>/withdraw", methods=["POST"])
@WIZARD.submitted
def withdraw(application):
    """Withdraw the application: the queue entry closes, and it is recorded."""
    if ContinueForm().validate_on_submit():
        try:
            housing_after.withdraw(application)
        except housing.HousingRefused as refused:
            flash(_refusal(refused), "warning")
        else:
            flash(_("The application is withdrawn."), "success")
    return redirect(url_for("housing.done", app_id=application.id), 303)


# --- public: the status behind the QR code, and a number's place ------------------------------

def _by_token(token: str):
    application = housing.by_token(token) if len(token) <= 64 else None
    if application is None or application.service != "housing" or \
            application.status == AppStatus.DRAFT:
        abort(404)
    return application


@bp.route("/s/<token>")
def public_status(token):
    """The public status page by its link's token (no personal data)."""
    application = _by_token(token)
    return _page("housing/public_status.html", None, number=application.number,
                 **_result(application))


@bp.route("/s/<token>/qr.svg")
def qr(token):
    """The status link as a QR code (SVG)."""
    application = _by_token(token)
    url = notices.public_url_for("housing.public_status", token=application.status_token)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    response = make_response(buffer.getvalue())
    response.headers["Content-Type"] = "image/svg+xml"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@public_bp.route("/queue")
def queue():
    """Look up a place on a settlement's public waiting list by number: no personal data."""
    form = QueueLookupForm(request.args)
    form.settlement.choices = [SelectChoice(code, settlement_name(code))
                               for code in housing.SETTLEMENTS]
    form.list_code.choices = [SelectChoice("general", str(texts.GENERAL_LIST_NAME))] + [
        SelectChoice(c.code, c.name(_lang())) for c in categories.CATEGORIES]
    # ?lang= (the language links) is no search: errors only once a lookup field is sent.
    searched = any(name in request.args for name in ("settlement", "list_code", "number"))
    place = None
    if searched and form.validate():
        place = housing_after.public_place(form.settlement.data, form.list_code.data,
                                           form.number.data)
    return _page("housing/queue.html", None, form=form, place=place,
                 searched=searched and not form.errors,
                 entry_statuses=texts.ENTRY_STATUSES)


# --- after the decision: objection, complaint, contacts --------------------------------------

@bp.route("/<int:app_id>/objection", methods=["GET", "POST"])
@WIZARD.submitted
@accepts_files
def objection(application):
    """Object to a preliminary refusal before its hearing."""
    if application.status != AppStatus.PRELIMINARY_REFUSAL:
        return redirect(url_for("housing.done", app_id=application.id))
    form = ObjectionForm()
    mark_too_large(form)
    if form.validate_on_submit():
        upload = form.file.data
        content = upload.read(documents.MAX_UPLOAD_BYTES + 1) if upload else b""
        if upload:
            upload.close()
        try:
            housing_after.object_to(application, form.text.data,
                                    upload.filename if upload else None, content,
                                    waive=bool(form.waive.data))
        except housing.HousingRefused as refused:
            field = form.text if refused.reason in ("too_many_objections", "hearing_passed") \
                else form.file
            field.errors = [_refusal(refused)]
        else:
            flash(_("Your objection is sent. It will be considered at the hearing."), "success")
            return redirect(url_for("housing.done", app_id=application.id), 303)
    return _page("housing/objection.html", application, form=form, **_result(application))


@bp.route("/<int:app_id>/complaint", methods=["GET", "POST"])
@WIZARD.submitted
def complaint(application):
    """A complaint names what it is about; only what this application has is offered."""
    subjects = housing_after.complaint_subjects(application)
    form = ComplaintForm()
    form.subject.choices = [SelectChoice(s.value, texts.COMPLAINT_SUBJECTS[s]) for s in subjects]
    form.body.choices = [SelectChoice(b.value, texts.COMPLAINT_BODIES[b])
                         for b in deadlines.ComplaintBody]
    if subjects and form.validate_on_submit():
        try:
            due = housing_after.complain(application, form.body.data, form.text.data,
                                         form.subject.data)
        except housing.HousingRefused as refused:
            field = form.subject if refused.reason == "nothing_to_complain" else form.text
            field.errors = [_refusal(refused)]
        else:
            flash(_("Your complaint is registered. The answer is due by %(date)s.",
                    date=format_date(due, "medium")), "success")
            return redirect(url_for("housing.done", app_id=application.id), 303)
    today_at = now()
    dues = {b: deadlines.complaint_due(b, today_at) for b in deadlines.ComplaintBody}
    return _page("housing/complaint.html", application, form=form, dues=dues,
                 subjects=subjects, forward_due=deadlines.complaint_forward_due(today_at))


@bp.route("/<int:app_id>/update-family", methods=["GET", "POST"])
@WIZARD.submitted
def update_family(application):
    """On the list: the family changes (a birth, a marriage, a departure); each change is
    recorded. The same page and fragment as the wizard's family step, without the steps."""
    if application.status != AppStatus.IN_QUEUE:
        return redirect(url_for("housing.done", app_id=application.id), 303)
    form = MemberForm()
    if request.method == "POST":
        form = change_family(application, request.form.get("action"), form)
        if not form.errors and not htmx:
            return redirect(url_for("housing.update_family", app_id=application.id), 303)
    return family_page(application, form,
                       family_url=url_for("housing.update_family", app_id=application.id))


@bp.route("/<int:app_id>/update-contacts", methods=["GET", "POST"])
@WIZARD.submitted
def update_contacts(application):
    """Change the phone and e-mail of a submitted application."""
    data = application.data or {}
    form = ContactsForm(data={"phone": data.get("phone"), "email": data.get("email"),
                              "sms": data.get("sms_consent", True)})
    if form.validate_on_submit():
        housing_after.update_contacts_after(application, form.phone.data.strip(), form.email.data,
                                      form.sms.data)
        flash(_("Your contacts are updated."), "success")
        return redirect(url_for("housing.done", app_id=application.id), 303)
    return _page("housing/update_contacts.html", application, form=form)


@bp.route("/<int:app_id>/recheck-category", methods=["GET", "POST"])
@WIZARD.submitted
@accepts_files
def category_recheck(application):
    """On the list: ask to re-check a category once the authority corrected its data; where
    it is confirmed the entry moves to that list with its original date [002 p.9]."""
    if application.status != AppStatus.IN_QUEUE:
        return redirect(url_for("housing.done", app_id=application.id), 303)
    form = CategoryRecheckForm(data={"category": (application.data or {}).get("category")})
    form.category.choices = [SelectChoice(c.code, c.name(_lang())) for c in
                             categories.CATEGORIES]
    mark_too_large(form)
    if form.validate_on_submit():
        upload = form.file.data
        content = upload.read(documents.MAX_UPLOAD_BYTES + 1) if upload else b""
        if upload:
            upload.close()
        try:
            moved = housing_after.recheck_category(
                application, form.category.data, upload.filename if upload else None, content)
        except RegistryUnavailable:
            return _unavailable(application)
        except housing.HousingRefused as refused:
            field = form.file if refused.reason in FILE_REFUSALS else form.category
            field.errors = [_refusal(refused)]
        else:
            flash(_("The registries confirm the category: your entry is moved to its list, with "
                    "the date of your application.") if moved else
                  _("The registries do not confirm the category yet. Your request and files are "
                    "kept; the provider checks them."), "success" if moved else "warning")
            return redirect(url_for("housing.done", app_id=application.id), 303)
    return _page("housing/category_recheck.html", application, form=form)


FILE_REFUSALS = ("empty", "too_large", "wrong_type", "too_many_documents", "too_many_uploads")
