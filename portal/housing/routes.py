"""Views of the housing journey: parse, call one service, render or redirect."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import abort, flash, make_response, redirect, request, send_file, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from portal.channels import PORTAL, current_channel
from portal.citizens import current_citizen, login_required
from portal.clock import local_today, now
from portal.domain.housing import categories, deadlines, eligibility
from portal.domain.housing.facts import Case
from portal.domain.housing.grounds import Ground
from portal.domain.statuses import AppStatus
from portal.extensions import limiter
from portal.registries import RegistryUnavailable
from portal.registries.settlements import SETTLEMENTS
from portal.services import housing, housing_sms, notices, signing
from portal.services.errors import text_for
from portal.signing_forms import CodeForm, CodePage, ecp_offer_for
from portal.signing_texts import check_refusal, send_refusal
from portal.web import accepts_files, render_page

from . import bp, public_bp, texts
from .forms import (
    RELATION_LABELS,
    CaseForm,
    CategoryForm,
    ComplaintForm,
    ConsentsForm,
    ContactsForm,
    ContinueForm,
    MemberForm,
    ObjectionForm,
    QueueLookupForm,
    SettlementForm,
    UploadForm,
    WhoForm,
)
from .wizard import WIZARD

NO_CATEGORY = "none"
LANGUAGE_INDEX = {"kk": 0, "ru": 1, "en": 2}


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGE_INDEX else "kk"


def settlement_name(code: str | None) -> str:
    names = SETTLEMENTS.get(code or "")
    return names[LANGUAGE_INDEX[_lang()]] if names else (code or "")


def list_name(code: str | None) -> str:
    if not code or code == "general":
        return str(texts.GENERAL_LIST_NAME)
    try:
        return categories.category(code).name(_lang())
    except KeyError:
        return code


def ground_rows(codes) -> list[dict]:
    return [{"code": str(g), "name": texts.GROUND_NAMES[Ground(g)],
             "reference": texts.GROUND_REFERENCES[Ground(g)]} for g in codes]


def _page(template: str, application=None, step: str | None = None, fragment=None, **context):
    if application is not None and step is not None:
        context.update(WIZARD.progress(step, application))
    return render_page(template, fragment, application=application, wizard=WIZARD,
                       settlement_name=settlement_name, list_name=list_name,
                       ground_rows=ground_rows, texts=texts, **context)


def _unavailable(application):
    return _page("housing/unavailable.html", application), 503


def _refusal(refused) -> str:
    return text_for(refused, texts.REFUSALS)


# --- start, resume, delete ---------------------------------------------------------------------

@bp.route("/")
def start():
    return _page("housing/start.html", drafts=housing.drafts_of(current_citizen().iin)
                 if current_citizen() else [], form=ContinueForm())


@bp.route("/new", methods=["POST"])
@login_required
def new():
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    application = housing.new_draft(current_citizen().iin, channel=current_channel())
    return redirect(url_for("housing.who", app_id=application.id), 303)


@bp.route("/<int:app_id>")
@WIZARD.draft
def resume(application):
    return WIZARD.redirect_resume(application)


@bp.route("/<int:app_id>/delete", methods=["POST"])
@WIZARD.draft
def delete(application):
    if ContinueForm().validate_on_submit():
        housing.delete_draft(application)
        flash(_("The draft is deleted."), "success")
    return redirect(url_for("housing.start"), 303)


# --- 1. on whose behalf ----------------------------------------------------------------------

@bp.route("/<int:app_id>/who", methods=["GET", "POST"])
@WIZARD.step("who")
def who(application):
    citizen = current_citizen()
    people = housing.representable(citizen)
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
    form = UploadForm()
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("continue") and housing.has_conclusion(application):
            return WIZARD.redirect_next("conclusion", application)
        if current_channel() != PORTAL:
            # A kiosk takes no files (SPEC §3): its page offers "continue on your phone".
            abort(400)
        upload = form.file.data
        content = upload.read(housing.MAX_UPLOAD_BYTES + 1) if upload else b""
        if upload:
            upload.close()
        try:
            housing.store_document(application, "conclusion",
                                   upload.filename if upload else "", content)
        except housing.HousingRefused as refused:
            form.file.errors = [_refusal(refused)]
        else:
            flash(_("The file is attached."), "success")
            return redirect(url_for("housing.conclusion", app_id=application.id), 303)
    return _page("housing/conclusion.html", application, "conclusion", form=form,
                 documents=housing.documents_of(application, "conclusion"))


@bp.route("/<int:app_id>/documents/<int:doc_id>/delete", methods=["POST"])
@WIZARD.draft
def delete_document(application, doc_id):
    if ContinueForm().validate_on_submit():
        housing.remove_document(application, doc_id)
    return redirect(url_for("housing.conclusion", app_id=application.id), 303)


@bp.route("/<int:app_id>/documents/<int:doc_id>")
@WIZARD.any_state
def document(application, doc_id):
    found = housing.document_of(application, doc_id)
    if found is None:
        abort(404)
    response = send_file(housing.document_path(found), mimetype=found.mime, as_attachment=True,
                         download_name=found.original_name)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- 4. settlement -----------------------------------------------------------------------------

@bp.route("/<int:app_id>/settlement", methods=["GET", "POST"])
@WIZARD.step("settlement")
def settlement(application):
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
        code = None if form.category.data == NO_CATEGORY else form.category.data
        if code and code not in categories.BY_CODE:
            form.category.errors.append(_("Choose a category or “None”"))
        else:
            housing.save_category(application, code)
            return WIZARD.redirect_next("category", application)
    confirmed = {c.code for c in categories.CATEGORIES if categories.confirms(facts, c.code)}
    return _page("housing/category.html", application, "category", form=form,
                 confirmed=confirmed,
                 state=housing.category_state(application, facts) if chosen else None)


# --- 6. family members ---------------------------------------------------------------------

@bp.route("/<int:app_id>/family", methods=["GET", "POST"])
@WIZARD.step("family")
def family(application):
    form = MemberForm()
    if request.method == "POST":
        action = request.form.get("action")
        if action == "continue" and ContinueForm().validate_on_submit():
            housing.confirm_family(application)
            return WIZARD.redirect_next("family", application)
        if action == "remove" and ContinueForm().validate_on_submit():
            housing.remove_member(application, request.form.get("iin", ""))
        elif action == "add" and form.validate_on_submit():
            try:
                housing.add_member(application, form.iin.data, form.relation.data)
            except housing.HousingRefused as refused:
                form.iin.errors = [_refusal(refused)]
            else:
                form = MemberForm(formdata=None)
        if not form.errors and not request.headers.get("HX-Request"):
            return redirect(url_for("housing.family", app_id=application.id), 303)
    return _page("housing/family.html", application, "family", fragment="family", form=form,
                 members=housing.answer(application, "family", []),
                 relation_labels=RELATION_LABELS, continue_form=ContinueForm())


# --- 7. contacts, 8. the application text and consents ---------------------------------------

@bp.route("/<int:app_id>/contacts", methods=["GET", "POST"])
@WIZARD.step("contacts")
def contacts(application):
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
    return _page("housing/consents.html", application, "consents", form=form,
                 applicant=current_citizen())


# --- 9. check, sign, submitted ------------------------------------------------------------

def _summary(application, facts) -> dict:
    data = application.data or {}
    today = local_today()
    code = data.get("category") or None
    return {
        "subject": facts.applicant if facts else None,
        "case": texts.CASES.get(data.get("case", ""), ""),
        "settlement": settlement_name(data.get("settlement")),
        "category": categories.category(code).name(_lang()) if code else
        _("None: the general list"),
        "category_state": categories.category_status(facts, code) if facts else None,
        "family": data.get("family", []),
        "documents": housing.documents_of(application, "conclusion"),
        "grounds": ground_rows(housing.grounds_now(application, facts, today=today))
        if facts else [],
    }


def signed_lines(application, facts=None) -> list[tuple[str, str]]:
    """The check page's lines in the page's language: what is signed, by SMS code or ЭЦП."""
    summary = _summary(application, facts or housing.facts_of(application))
    data = application.data or {}
    return [
        (_("Applicant"), application.applicant_iin),
        (_("Person to be put on the list"),
         f"{summary['subject'].full_name} ({summary['subject'].iin})"),
        (_("Case"), str(summary["case"])),
        (_("Settlement"), str(summary["settlement"])),
        (_("Category"), str(summary["category"])),
        (_("Family members"), "; ".join(f"{m['name']} ({m['iin']})"
                                        for m in summary["family"])),
        (_("Mobile phone"), data.get("phone", "")),
        (_("E-mail"), data.get("email", "")),
        (_("Consent"), _("I consent to the use of my and my family members' personal data in "
                         "the information systems for this service")),
    ]


def signed_text(application, facts) -> str:
    """The canonical text signed with the SMS code (Appendix 2's title, then the lines)."""
    return "\n".join([_("Application to join the housing waiting list (Appendix 2)")]
                     + [f"{label}: {value}" for label, value in signed_lines(application, facts)])


@bp.route("/<int:app_id>/check")
@WIZARD.step("check")
def check(application):
    try:
        facts = housing.facts_of(application)
    except RegistryUnavailable:
        return _unavailable(application)
    return _page("housing/check.html", application, "check", form=ContinueForm(),
                 relation_labels=RELATION_LABELS, **_summary(application, facts))


@bp.route("/<int:app_id>/send-code", methods=["POST"])
@limiter.limit("10/hour")
@WIZARD.draft
def send_code(application):
    if WIZARD.first_incomplete(application) is not WIZARD.last:
        return WIZARD.redirect_resume(application)
    if ContinueForm().validate_on_submit():
        try:
            housing.send_signing_code(application, current_citizen(), housing_sms.SIGN)
        except signing.CodeRejected as refused:
            flash(send_refusal(refused), "warning")
    return redirect(url_for("housing.sign", app_id=application.id), 303)


def _sign_page(application, form):
    state = housing.signing_state(application)
    check_url = url_for("housing.check", app_id=application.id)
    page = CodePage(title=_l("Sign the application"), submit_label=_l("Sign and submit"),
                    action=url_for("housing.submit", app_id=application.id),
                    resend_action=url_for("housing.send_code", app_id=application.id),
                    back_url=check_url, back_label=_l("Back to your answers"),
                    restart_url=check_url, state=state)
    return render_page("signing/code.html", page=page, form=form, application=application,
                       ecp=ecp_offer_for(application), **WIZARD.progress("check", application))


@bp.route("/<int:app_id>/sign")
@WIZARD.draft
def sign(application):
    if housing.signing_state(application) is None:
        return redirect(url_for("housing.check", app_id=application.id))
    return _sign_page(application, CodeForm())


@bp.route("/<int:app_id>/submit", methods=["POST"])
@limiter.limit("30/hour")
@WIZARD.any_state
def submit(application):
    if application.status != AppStatus.DRAFT:
        return redirect(url_for("housing.done", app_id=application.id), 303)
    if WIZARD.first_incomplete(application) is not WIZARD.last or \
            housing.signing_state(application) is None:
        return WIZARD.redirect_resume(application)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            facts = housing.facts_of(application)
            housing.submit(application, current_citizen(), form.code.data,
                           signed_text(application, facts), request.remote_addr,
                           housing_sms.DECISIONS)
        except RegistryUnavailable:
            return _unavailable(application)
        except signing.CodeRejected as refused:
            form.code.errors.append(check_refusal(refused))
        except housing.HousingRefused as refused:
            flash(_refusal(refused), "warning")
            return redirect(url_for("housing.done", app_id=application.id), 303)
        else:
            return redirect(url_for("housing.done", app_id=application.id), 303)
    return _sign_page(application, form)


def _result(application) -> dict:
    data = application.data or {}
    submitted = application.submitted_at
    case_ = Case(data.get("case", Case.NO_HOUSING))
    return {
        "status_label": texts.STATUSES.get(application.status, application.status),
        "decision_due": deadlines.decision_due(case_, submitted) if submitted else None,
        "notice_due": deadlines.notice_due(submitted) if submitted else None,
        "place": housing.place_of(application),
        "grounds": ground_rows(data.get("grounds", [])),
        "hearing_at": data.get("hearing_at"),
        "status_link": notices.public_url_for("housing.public_status",
                                              token=application.status_token),
        "qr_url": url_for("housing.qr", token=application.status_token),
        "settlement": settlement_name(data.get("settlement")),
        "case": texts.CASES.get(data.get("case", ""), ""),
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
    return _page("housing/receipt.html", application, subject=facts.applicant if facts else None,
                 applicant=current_citizen(), **_result(application))


@bp.route("/<int:app_id>/withdraw", methods=["POST"])
@WIZARD.submitted
def withdraw(application):
    if ContinueForm().validate_on_submit():
        try:
            housing.withdraw(application)
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
        place = housing.public_place(form.settlement.data, form.list_code.data, form.number.data)
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
            housing.object_to(application, form.text.data,
                              upload.filename if upload else None, content)
        except housing.HousingRefused as refused:
            form.file.errors = [_refusal(refused)]
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
        due = housing.complain(application, form.body.data, form.text.data)
        flash(_("Your complaint is registered. The answer is due by %(date)s.",
                date=format_date(due, "medium")), "success")
        return redirect(url_for("housing.done", app_id=application.id), 303)
    today_at = now()
    dues = {b: deadlines.complaint_due(b, today_at) for b in deadlines.ComplaintBody}
    return _page("housing/complaint.html", application, form=form, dues=dues)


@bp.route("/<int:app_id>/update-contacts", methods=["GET", "POST"])
@WIZARD.submitted
def update_contacts(application):
    data = application.data or {}
    form = ContactsForm(data={"phone": data.get("phone"), "email": data.get("email"),
                              "sms": data.get("sms_consent", True)})
    if form.validate_on_submit():
        housing.update_contacts_after(application, form.phone.data.strip(), form.email.data,
                                      form.sms.data)
        flash(_("Your contacts are updated."), "success")
        return redirect(url_for("housing.done", app_id=application.id), 303)
    return _page("housing/update_contacts.html", application, form=form)
