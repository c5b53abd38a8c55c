"""Check your answers, sign (SMS code or ЭЦП) and submit the housing application."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.clock import local_today
from portal.core.citizens import current_citizen, requester
from portal.core.registries import RegistryUnavailable
from portal.core.services import signing
from portal.core.services.catalogue import Incomplete
from portal.core.signing_forms import CodeForm, CodePage, ecp_offer_for
from portal.core.signing_texts import check_refusal, send_refusal
from portal.core.web import render_page
from portal.domain.housing import categories
from portal.domain.statuses import AppStatus
from portal.extensions import limiter
from portal.housing.services import documents, housing, housing_sms, submission

from . import texts
from .forms import (
    RELATION_LABELS,
    ContinueForm,
)
from .pages import (
    _lang,
    _page,
    _refusal,
    _unavailable,
    application_form,
    ground_rows,
    settlement_name,
)
from .routes import bp
from .wizard import WIZARD


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
        "documents": documents.documents_of(application, "conclusion"),
        "grounds": ground_rows(housing.grounds_now(application, facts, today=today))
        if facts else [],
    }


def signed_lines(application, facts=None) -> list[tuple[str, str]]:
    """What is signed with ЭЦП: the Appendix 2 text, one paragraph a line (no labels)."""
    form = application_form(application, facts)
    return [("", line) for line in (form.title, form.to, *form.paragraphs)]


def signed_text(application, facts) -> str:
    """The text signed with the SMS code: Appendix 2 filled in, exactly (appendix2.Filled)."""
    return application_form(application, facts).text


@bp.route("/<int:app_id>/check")
@WIZARD.step("check")
def check(application):
    """Check your answers before signing, with what the registries say."""
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
    """Send (or resend) the SMS code that signs the application."""
    if WIZARD.missing(application):
        return WIZARD.redirect_missing(application)
    if ContinueForm().validate_on_submit():
        try:
            housing.send_signing_code(application, current_citizen(), housing_sms.SIGN,
                                      lang=requester().lang)
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
    """The page to type the signing code on (or sign with ЭЦП)."""
    if housing.signing_state(application) is None:
        return redirect(url_for("housing.check", app_id=application.id))
    return _sign_page(application, CodeForm())


@bp.route("/<int:app_id>/submit", methods=["POST"])
@limiter.limit("30/hour")
@WIZARD.any_state
def submit(application):
    """Check the signing code, submit and decide; a second click lands on the result."""
    if application.status != AppStatus.DRAFT:
        return redirect(url_for("housing.done", app_id=application.id), 303)
    if WIZARD.missing(application):
        return WIZARD.redirect_missing(application)
    if housing.signing_state(application) is None:
        return WIZARD.redirect_resume(application)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            facts = housing.facts_of(application)
            submission.submit(application, current_citizen(), form.code.data,
                           signed_text(application, facts), request.remote_addr,
                           housing_sms.DECISIONS, lang=requester().lang)
        except RegistryUnavailable:
            return _unavailable(application)
        except Incomplete:  # an answer went missing since the page was shown
            return WIZARD.redirect_missing(application)
        except signing.CodeRejected as refused:
            form.code.errors.append(check_refusal(refused))
        except housing.HousingRefused as refused:
            flash(_refusal(refused), "warning")
            return redirect(url_for("housing.done", app_id=application.id), 303)
        else:
            return redirect(url_for("housing.done", app_id=application.id), 303)
    return _sign_page(application, form)
