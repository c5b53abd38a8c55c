"""After submission: the done page, the receipt, the status page and its QR code, the public
queue look-up, withdrawal, the objection before the hearing, complaints, new contacts."""

from __future__ import annotations

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
from portal.housing.services import housing, housing_after

from . import texts
from .forms import (
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
    receipt_rows,
    settlement_name,
)
from .routes import bp, public_bp
from .wizard import WIZARD


def _result(application) -> dict:
    data = application.data or {}
    submitted = application.submitted_at
    case_ = Case(data.get("case", Case.NO_HOUSING))
    return {
        "status_label": texts.STATUSES.get(application.status, application.status),
        "decision_due": deadlines.decision_due(case_, submitted) if submitted else None,
        "notice_due": deadlines.notice_due(submitted) if submitted else None,
        "place": housing_after.place_of(application),
        "grounds": ground_rows(data.get("grounds", [])),
        "hearing_at": data.get("hearing_at"),
        "status_link": notices.public_url_for("housing.public_status",
                                              token=application.status_token),
        "qr_url": url_for("housing.qr", token=application.status_token),
        "settlement": settlement_name(data.get("settlement")),
        "case": texts.CASES.get(data.get("case", ""), ""),
        "taken_on": deadlines.counts_from(submitted) if submitted else None,
    }


@bp.route("/<int:app_id>/done")
@WIZARD.submitted
def done(application):
    return _page("housing/done.html", application, **_result(application))


@bp.route("/<int:app_id>/receipt")
@WIZARD.submitted
def receipt(application):
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
    application = _by_token(token)
    return _page("housing/public_status.html", None, number=application.number,
                 **_result(application))


@bp.route("/s/<token>/qr.svg")
def qr(token):
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
    form = QueueLookupForm(request.args)
    form.settlement.choices = [SelectChoice(code, settlement_name(code))
                               for code in housing.SETTLEMENTS]
    form.list_code.choices = [SelectChoice("general", str(texts.GENERAL_LIST_NAME))] + [
        SelectChoice(c.code, c.name(_lang())) for c in categories.CATEGORIES]
    place, searched = None, bool(request.args)
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
    if application.status != AppStatus.PRELIMINARY_REFUSAL:
        return redirect(url_for("housing.done", app_id=application.id))
    form = ObjectionForm()
    if form.validate_on_submit():
        upload = form.file.data
        content = upload.read(housing.MAX_UPLOAD_BYTES + 1) if upload else b""
        if upload:
            upload.close()
        try:
            housing_after.object_to(application, form.text.data,
                              upload.filename if upload else None, content)
        except housing.HousingRefused as refused:
            field = form.text if refused.reason == "too_many_objections" else form.file
            field.errors = [_refusal(refused)]
        else:
            flash(_("Your objection is sent. It will be considered at the hearing."), "success")
            return redirect(url_for("housing.done", app_id=application.id), 303)
    return _page("housing/objection.html", application, form=form, **_result(application))


@bp.route("/<int:app_id>/complaint", methods=["GET", "POST"])
@WIZARD.submitted
def complaint(application):
    form = ComplaintForm()
    form.body.choices = [SelectChoice(b.value, texts.COMPLAINT_BODIES[b])
                         for b in deadlines.ComplaintBody]
    if form.validate_on_submit():
        try:
            due = housing_after.complain(application, form.body.data, form.text.data)
        except housing.HousingRefused as refused:
            form.text.errors = [_refusal(refused)]
        else:
            flash(_("Your complaint is registered. The answer is due by %(date)s.",
                    date=format_date(due, "medium")), "success")
            return redirect(url_for("housing.done", app_id=application.id), 303)
    today_at = now()
    dues = {b: deadlines.complaint_due(b, today_at) for b in deadlines.ComplaintBody}
    return _page("housing/complaint.html", application, form=form, dues=dues)


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
    data = application.data or {}
    form = ContactsForm(data={"phone": data.get("phone"), "email": data.get("email"),
                              "sms": data.get("sms_consent", True)})
    if form.validate_on_submit():
        housing_after.update_contacts_after(application, form.phone.data.strip(), form.email.data,
                                      form.sms.data)
        flash(_("Your contacts are updated."), "success")
        return redirect(url_for("housing.done", app_id=application.id), 303)
    return _page("housing/update_contacts.html", application, form=form)
