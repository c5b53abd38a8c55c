"""Office views of one housing application: the emergency review, the hearing, complaints, the
files. Thin: the rules are portal.domain.housing.office, the transactions
portal.housing.office.services.housing_office. An application outside the staff member's
settlements is a 404.
"""

from __future__ import annotations

import datetime as dt
import io

from flask import abort, flash, redirect, request, send_file, url_for

from portal.clock import ALMATY
from portal.core.services.errors import Refused, text_for
from portal.core.signing_forms import EcpOffer
from portal.core.web import render_page
from portal.domain.files import download_name
from portal.domain.housing import deadlines
from portal.domain.languages import LANGUAGES
from portal.ecp import texts as ecp_texts
from portal.housing.office.services import (
    complaints,
    hearings,
    housing_office,
    office_signing,
    rechecks,
)
from portal.housing.office.staff import audit
from portal.housing.office.staff.access import current_staff, staff_required
from portal.housing.office.staff.models import Role
from portal.housing.services import documents
from portal.i18n import current_language, format_moment

from . import application_page, texts
from .forms import (
    CategoryDecisionForm,
    DecisionForm,
    EntryForm,
    ForwardForm,
    RecheckCloseForm,
    SignedDecisionForm,
)
from .routes import bp


def _application(app_id: int):
    application = housing_office.application_for(current_staff(), app_id)
    if application is None:
        abort(404)
    return application


def _back(application):
    return redirect(url_for("office.application", app_id=application.id), 303)


def _refused(application, refused):
    flash(text_for(refused, texts.REFUSALS), "warning")
    return _back(application)


def _need_facts(application):
    facts = application_page.facts_of(application)
    if facts is None:
        flash(str(texts.REGISTRIES_DOWN), "warning")
    return facts


@bp.route("/applications/<int:app_id>")
@staff_required()
def application(app_id):
    """One application: what the registries said, the files, and the decision to take. The
    read is recorded in the audit trail (who saw which personal file when)."""
    found = _application(app_id)
    audit.record_read(current_staff(), audit.Action.APPLICATION_VIEWED, found.id,
                      request.remote_addr)
    return application_page.page(found)


@bp.route("/applications/<int:app_id>/documents/<int:document_id>")
@staff_required()
def document(app_id, document_id):
    """An uploaded file, as a download (never rendered by the browser as a page)."""
    found = housing_office.document_for(current_staff(), app_id, document_id)
    content = documents.document_content(found) if found is not None else None
    if content is None:
        abort(404)
    audit.record_read(current_staff(), audit.Action.DOCUMENT_VIEWED, app_id,
                      request.remote_addr, document_id=found.id, kind=found.kind)
    response = send_file(io.BytesIO(content), mimetype=found.mime, as_attachment=True,
                         download_name=download_name(found.kind, found.mime, found.id),
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/applications/<int:app_id>/register", methods=["POST"])
@staff_required()
def register(app_id):
    """The emergency review: the case is confirmed, the applicant is registered."""
    application = _application(app_id)
    if not DecisionForm().validate_on_submit():
        return _back(application)
    facts = _need_facts(application)
    if facts is None:
        return _back(application)
    try:
        number = housing_office.register(current_staff(), application, facts,
                                         request.remote_addr)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["register"]) % {"number": number}, "success")
    return _back(application)


@bp.route("/applications/<int:app_id>/preliminary-refusal", methods=["POST"])
@staff_required()
def preliminary_refusal(app_id):
    """The emergency review finds grounds: a preliminary refusal and the proposed hearing."""
    application = _application(app_id)
    facts = application_page.facts_of(application)
    form = application_page.refusal_form(
        *housing_office.office_grounds_choices(application, facts))
    if not form.validate_on_submit():
        return application_page.page(application, refusal=form, status=422)
    chosen = None
    if form.hearing_date.data:
        chosen = dt.datetime.combine(form.hearing_date.data,
                                     form.hearing_time.data or deadlines.HEARING_TIME,
                                     tzinfo=ALMATY)
    try:
        hearing_at = hearings.refuse_preliminarily(
            current_staff(), application, facts, form.grounds.data,
            form.motivation.data, request.remote_addr,
            hearings.Hearing(chosen, form.way.data or "online", form.place.data or ""))
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["preliminary_refusal"]) % {"when": format_moment(hearing_at)}, "success")
    return _back(application)


@bp.route("/applications/<int:app_id>/hearing", methods=["POST"])
@staff_required()
def hearing(app_id):
    """The hearing's outcome: registered, or a motivated final refusal."""
    application = _application(app_id)
    form = application_page.hearing_form(documents.documents_of(application))
    if not form.validate_on_submit():
        return application_page.page(application, hearing=form, status=422)
    facts = _need_facts(application)
    if facts is None:
        return _back(application)
    minutes = hearings.Minutes(form.participants.data or "", form.statement.data or "",
                                     tuple(form.files_read.data or ()))
    if office_signing.needs_signature(office_signing.FINAL_REFUSAL, form.outcome.data):
        return _sign_page(application, office_signing.Pending(
            office_signing.FINAL_REFUSAL, form.outcome.data, form.motivation.data or "",
            participants=minutes.participants, statement=minutes.statement,
            files_read=minutes.files_read))
    try:
        hearings.hear(current_staff(), application, facts, form.outcome.data,
                            form.motivation.data, request.remote_addr, minutes)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["hearing"]), "success")
    return _back(application)


@bp.route("/applications/<int:app_id>/complaints/<int:index>", methods=["POST"])
@staff_required(role=Role.HEAD)
def answer_complaint(app_id, index):
    """The head's answer to a complaint: satisfied (the decision changes) or refused."""
    application = _application(app_id)
    form = application_page.answer_form(index)
    if not form.validate_on_submit():
        return application_page.page(application, answer=(index, form), status=422)
    facts = _need_facts(application)
    if facts is None:
        return _back(application)
    if office_signing.needs_signature(office_signing.COMPLAINT, form.outcome.data):
        return _sign_page(application, office_signing.Pending(
            office_signing.COMPLAINT, form.outcome.data, form.text.data or "", index))
    try:
        complaints.answer_complaint(current_staff(), application, index, form.outcome.data,
                                        form.text.data, facts, request.remote_addr)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["complaint"]), "success")
    return _back(application)


@bp.route("/applications/<int:app_id>/complaints/<int:index>/forward", methods=["POST"])
@staff_required(role=Role.HEAD)
def forward_complaint(app_id, index):
    """Forward a complaint to the quality authority with the administrative file."""
    application = _application(app_id)
    if not ForwardForm().validate_on_submit():
        return _back(application)
    try:
        complaints.forward_complaint(current_staff(), application, index,
                                         request.remote_addr)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["forwarded"]), "success")
    return _back(application)


@bp.route("/applications/<int:app_id>/recheck/close", methods=["POST"])
@staff_required()
def close_recheck(app_id):
    """A re-check after a family change: no ground after all, closed with the motivation."""
    application = _application(app_id)
    form = RecheckCloseForm(prefix="recheck")
    if not form.validate_on_submit():
        return application_page.page(application, status=422)
    try:
        rechecks.close_recheck(current_staff(), application, form.motivation.data,
                               request.remote_addr)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["recheck_closed"]), "success")
    return _back(application)


@bp.route("/applications/<int:app_id>/category/<int:index>", methods=["POST"])
@staff_required()
def decide_category(app_id, index):
    """A category request the registries did not confirm: confirmed (moved, original date) or
    not (stays, with the reason)."""
    application = _application(app_id)
    form = CategoryDecisionForm(prefix=f"k{index}")
    if not form.validate_on_submit():
        flash(str(texts.REFUSALS["no_decision"]), "warning")
        return _back(application)
    try:
        rechecks.decide_category(current_staff(), application, index,
                                 form.decision.data == "confirm", form.reason.data,
                                 request.remote_addr)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["category"]), "success")
    return _back(application)


@bp.route("/applications/<int:app_id>/entry", methods=["POST"])
@staff_required()
def change_entry(app_id):
    """Suspend (with why), restore or close the entry on the list."""
    application = _application(app_id)
    form = EntryForm()
    if not form.validate_on_submit():
        return application_page.page(application, entry=form, status=422)
    try:
        housing_office.change_entry(current_staff(), application, form.move.data,
                                    form.reason.data, form.note.data, request.remote_addr)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    flash(str(texts.DONE["entry"]), "success")
    return _back(application)


# --- final decisions signed with ЭЦП (portal.housing.office.services.office_signing) 

def _sign_page(application, pending, error: str | None = None):
    """The decision's text and the NCALayer form; the decision is issued once it is signed."""
    language = current_language()
    try:
        challenge = office_signing.start(current_staff(), application, pending, language)
    except Refused as refused:
        return _refused(application, refused)
    offer = EcpOffer.of(url_for("office.sign_decision", app_id=application.id), challenge,
                        language, current_staff().iin, fields=pending.fields(),
                        sms_fallback=False)
    return render_page("office/sign_decision.html", application=application, ecp=offer,
                       error=error), 200 if error is None else 422


@bp.route("/applications/<int:app_id>/sign-decision", methods=["POST"])
@staff_required()
def sign_decision(app_id):
    """The staff member's CMS over the decision's text: verified, then the decision issued."""
    application = _application(app_id)
    form = SignedDecisionForm()
    if not form.validate_on_submit() or form.kind.data not in (
            office_signing.FINAL_REFUSAL, office_signing.COMPLAINT):
        return _back(application)
    if form.kind.data == office_signing.COMPLAINT and current_staff().role != Role.HEAD:
        abort(403)
    try:
        files_read = tuple(int(f) for f in (form.files_read.data or "").split(",") if f)
    except ValueError:
        return _back(application)
    pending = office_signing.Pending(form.kind.data, form.outcome.data or "",
                                     form.motivation.data or "", form.index.data or 0,
                                     form.participants.data or "", form.statement.data or "",
                                     files_read)
    facts = _need_facts(application)
    if facts is None:
        return _back(application)
    language = form.lang.data if form.lang.data in LANGUAGES else current_language()
    try:
        office_signing.finish(current_staff(), application, pending, form.nonce.data or "",
                              form.cms.data or "", language, facts, request.remote_addr)
    except housing_office.OfficeRefused as refused:
        return _refused(application, refused)
    except Refused as refused:
        return _sign_page(application, pending, error=ecp_texts.refusal(refused))
    flash(str(texts.DONE["hearing" if pending.kind == office_signing.FINAL_REFUSAL
                         else "complaint"]), "success")
    return _back(application)
