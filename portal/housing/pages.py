"""What the housing pages share: names in the page's language, the step page, refusal texts."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.registries import registries, settlements
from portal.core.services.catalogue import Row
from portal.core.services.errors import text_for
from portal.core.web import render_page, upload_was_too_large
from portal.domain.housing import categories, deadlines
from portal.domain.housing.grounds import Ground
from portal.domain.masking import mask_name
from portal.housing.services import documents, housing
from portal.i18n import current_language

from . import appendix2, texts
from .forms import RELATION_LABELS, ContinueForm, MemberForm
from .wizard import WIZARD

NO_CATEGORY = "none"


def _lang() -> str:
    """The page's language, worked out once a request (the queue page asks for each of its
    settlements and lists; Flask-Babel's get_locale walks several context proxies a call)."""
    return current_language()


def settlement_name(code: str | None) -> str:
    return settlements.settlement_name(code, _lang())


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


def mark_too_large(form) -> None:
    """On an upload page's GET: the upload just sent was over the limit and never read
    (portal.core.web.too_large redirected here), so its file field says so."""
    if request.method == "GET" and upload_was_too_large():
        form.file.errors = [str(texts.REFUSALS["too_large_unsent"])]


# --- start, resume, delete ---------------------------------------------------------------------


def change_family(application, action: str | None, form):
    """Add or remove a family row (the family step and the update after registration share
    it); returns the form to show next: emptied after an addition, with errors after a refusal.
    """
    if action == "remove" and ContinueForm().validate_on_submit():
        housing.remove_member(application, request.form.get("iin", ""))
    elif action == "add" and form.validate_on_submit():
        try:
            housing.add_member(application, form.iin.data, form.relation.data)
        except housing.HousingRefused as refused:
            form.iin.errors = [_refusal(refused)]
        else:
            return MemberForm(formdata=None)
    return form


def family_page(application, form, step: str | None = None, **context):
    """The family page and its htmx fragment (the rows and the add form)."""
    return _page("housing/family.html", application, step, fragment="family", form=form,
                 members=housing.answer(application, "family", []),
                 relation_labels=RELATION_LABELS, continue_form=ContinueForm(), **context)


def application_form(application, facts=None, language: str | None = None):
    """Appendix 2 filled in from the registries and the draft's contacts, in the page's
    language (portal.housing.appendix2): shown on the consents page, signed, on the receipt."""
    facts = facts or housing.facts_of(application)
    data = application.data or {}
    people = registries()
    applicant = people.person(application.applicant_iin)
    subject = facts.applicant if facts else applicant

    def address_of(person):
        found = people.address(person.registered_address_id) \
            if person and person.registered_address_id else None
        return found.label if found else ""

    return appendix2.fill(language or _lang(), applicant, subject, data.get("phone", ""),
                          data.get("email", ""), address_of(applicant))


RECEIPT_MOMENT = "d MMMM y, HH:mm"


def receipt_rows(application, is_applicant: bool = True, masked: bool = True) -> list[Row]:
    """What [003 p.16] puts on the receipt after its number, date and service: the moment of
    submission and the working day it counts from [002 App.1 row 7], the attached documents by
    name, the date, time and place of the result, who took it (the portal, or the kiosk by id),
    the applicant's and the representative's name and phone. Names and phones masked unless
    `masked` is False (the receipts the applicant prints or is handed: the portal's and the
    kiosk's)."""
    data = application.data or {}
    registry = registries()
    applicant = registry.person(application.applicant_iin)
    subject = registry.person(application.subject_iin) if application.subject_iin else None

    def name(person):
        if person is None:
            return ""
        return mask_name(person.surname, person.given_name) if masked else person.full_name

    def phone(number):
        number = number or ""
        return f"{number[:5]}***{number[-2:]}" if masked and len(number) > 7 else number

    attached = [str(_l("Application (Appendix 2 to the Rules)"))] + [
        d.original_name for d in documents.documents_of(application)]
    rows = []
    if application.submitted_at:
        # A written-out date, never "12/2/26" (the short pattern reads differently by country).
        rows.append(Row(_l("Submitted at"), format_datetime(application.submitted_at,
                                                            RECEIPT_MOMENT)))
        rows.append(Row(_l("Counts from the working day"), format_date(
            deadlines.counts_from(application.submitted_at), "full")))
    rows.append(Row(_l("Attached documents"), f"{len(attached)}: " + "; ".join(attached)))
    due = data.get("decision_due")
    due = dt.date.fromisoformat(due) if due else None
    if due:
        rows.append(Row(_l("Date, time and place of the result"), _(
            "%(date)s, by 18:30; in your personal account on the portal and by SMS",
            date=format_date(due, "medium"))))
    kiosk = application.channel.split(":", 1)[1] if application.channel.startswith("kiosk:") \
        else None
    rows.append(Row(_l("Accepted by"), _("the kiosk %(id)s", id=kiosk) if kiosk
                    else _("the Mekenjai portal")))
    if subject is not None and applicant is not None and subject.iin != applicant.iin:
        rows.append(Row(_l("Applicant (the represented person)"), name(subject)))
        rows.append(Row(_l("Representative"),
                        f"{name(applicant)}, {phone(data.get('phone') or applicant.phone)}"))
    elif applicant is not None:
        rows.append(Row(_l("Applicant"),
                        f"{name(applicant)}, {phone(data.get('phone') or applicant.phone)}"))
    return rows
