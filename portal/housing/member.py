"""A list member's own page (portal.housing.services.member): the place and how it moved, the
consent by an SMS code or with ЭЦП beside it (NCALayer, on the portal only), the data checked
against the registries. Thin views."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.citizens import current_citizen, requester
from portal.core.registries import RegistryUnavailable, registries
from portal.core.services import signing
from portal.core.services.errors import Refused
from portal.core.signing_forms import CodeForm, CodePage, EcpForm, EcpOffer
from portal.core.signing_texts import check_refusal, send_refusal
from portal.domain.housing.membership import CheckedItem
from portal.domain.phones import InvalidPhone
from portal.domain.statuses import AppStatus
from portal.ecp import texts as ecp_texts
from portal.ecp.setup import offered
from portal.extensions import limiter
from portal.housing.services import housing, member
from portal.i18n import current_language

from . import texts
from .chart import chart_of
from .forms import RELATION_LABELS, ContinueForm, PhoneForm
from .pages import _page, _refusal, _unavailable, settlement_name
from .routes import bp
from .wizard import WIZARD


def _member_or_404(application):
    found = member.member_of(application) if application.status == AppStatus.IN_QUEUE else None
    if found is None:
        abort(404)
    return found


def consent_text(application) -> str:
    """The text the SMS code signs, in the page's language."""
    return member.consent_text(application, current_citizen())


@bp.route("/<int:app_id>/member")
@WIZARD.submitted
def member_page(application):
    """The member's own page: place, total, list, date, status and why, the place over time,
    the consent, the data as the registries hold it."""
    found = _member_or_404(application)
    try:
        data = member.registry_data(application)
    except RegistryUnavailable:
        return _unavailable(application)
    return _page("housing/member.html", application, member=found, chart=chart_of(found.history),
                 registry=data, form=ContinueForm(), relation_labels=RELATION_LABELS,
                 settlement=settlement_name(found.entry.settlement_code),
                 akimat=settlement_name(found.transfer.akimat_settlement) if found.transfer
                 else None, entry_statuses=texts.ENTRY_STATUSES)


@bp.route("/<int:app_id>/member/consent/send", methods=["POST"])
@limiter.limit("10/hour")
@WIZARD.submitted
def member_consent_send(application):
    """Send (or resend) the SMS code that signs the consent."""
    _member_or_404(application)
    if ContinueForm().validate_on_submit():
        try:
            member.send_consent_code(application, current_citizen(), requester().lang)
        except signing.CodeRejected as refused:
            flash(send_refusal(refused), "warning")
        except housing.HousingRefused as refused:
            flash(_refusal(refused), "warning")
    return redirect(url_for("housing.member_consent", app_id=application.id), 303)


def _ecp_offer(application) -> EcpOffer | None:
    """The ЭЦП form beside the code (a fresh nonce), or None where ЭЦП is not offered."""
    if not offered(current_app):
        return None
    language = current_language()
    challenge = member.consent_challenge(application, current_citizen(), language)
    return EcpOffer.of(url_for("housing.member_consent_ecp", app_id=application.id),
                       challenge, language, current_citizen().iin)


def _consent_page(application, form, ecp_error: str | None = None):
    back = url_for("housing.member_page", app_id=application.id)
    page = CodePage(title=_l("Sign the consent to personal data processing"),
                    submit_label=_l("Sign the consent"),
                    action=url_for("housing.member_consent", app_id=application.id),
                    resend_action=url_for("housing.member_consent_send", app_id=application.id),
                    back_url=back, back_label=_l("Back to your place in the list"),
                    restart_url=back, state=member.consent_code_state(application),
                    intro="housing/_member_consent_text.html")
    return _page("signing/code.html", application, page=page, form=form,
                 consent_text=consent_text(application), ecp=_ecp_offer(application),
                 ecp_error=ecp_error)


def _signed(application, restored: bool):
    flash(_("Your consent is signed. Your place in the list is active again.")
          if restored else _("Your consent is signed."), "success")
    return redirect(url_for("housing.member_page", app_id=application.id), 303)


@bp.route("/<int:app_id>/member/consent", methods=["GET", "POST"])
@limiter.limit("30/hour", methods=["POST"])
@WIZARD.submitted
def member_consent(application):
    """Type the code that signs the consent (or sign it with ЭЦП); where its lack suspended the
    place, it is active at once."""
    _member_or_404(application)
    if member.consent_code_state(application) is None:
        return redirect(url_for("housing.member_page", app_id=application.id))
    form = CodeForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            restored = member.give_consent(application, current_citizen(), form.code.data,
                                           consent_text(application), request.remote_addr)
        except signing.CodeRejected as refused:
            form.code.errors.append(check_refusal(refused))
        except housing.HousingRefused as refused:
            flash(_refusal(refused), "warning")
            return redirect(url_for("housing.member_page", app_id=application.id), 303)
        else:
            return _signed(application, restored)
    return _consent_page(application, form)


@bp.route("/<int:app_id>/member/consent/ecp", methods=["POST"])
@limiter.limit("30/hour")
@WIZARD.submitted
def member_consent_ecp(application):
    """The consent signed with ЭЦП: the member's own CMS over the text the page showed (its
    nonce used once); then the same consent as by the code. A refusal: the page again, with why."""
    _member_or_404(application)
    if not offered(current_app):
        abort(404)
    form = EcpForm()
    if not form.validate_on_submit():
        return redirect(url_for("housing.member_consent", app_id=application.id), 303)
    language = form.lang.data if form.lang.data in current_app.config["LANGUAGES"] \
        else current_language()
    try:
        restored = member.give_consent_with_ecp(application, current_citizen(),
                                                form.nonce.data or "", form.cms.data or "",
                                                language)
    except housing.HousingRefused as refused:
        flash(_refusal(refused), "warning")
        return redirect(url_for("housing.member_page", app_id=application.id), 303)
    except Refused as refused:
        return _consent_page(application, CodeForm(), ecp_texts.refusal(refused)), 422
    return _signed(application, restored)


@bp.route("/<int:app_id>/member/consent/withdraw", methods=["POST"])
@WIZARD.submitted
def member_consent_withdraw(application):
    """Withdraw the consent: the place is suspended at once."""
    _member_or_404(application)
    if ContinueForm().validate_on_submit():
        try:
            member.withdraw_consent(application)
        except housing.HousingRefused as refused:
            flash(_refusal(refused), "warning")
        else:
            flash(_("The consent is withdrawn. Your place is suspended until you give it "
                    "again."), "warning")
    return redirect(url_for("housing.member_page", app_id=application.id), 303)


@bp.route("/<int:app_id>/member/confirm/<item>", methods=["POST"])
@WIZARD.submitted
def member_confirm(application, item):
    """"This is right": the phone, the family or the registration, recorded with the day."""
    _member_or_404(application)
    if item not in set(CheckedItem):
        abort(404)
    if ContinueForm().validate_on_submit():
        member.confirm(application, item)
        flash(_("Thank you: recorded as right today."), "success")
    return redirect(url_for("housing.member_page", app_id=application.id) + f"#{item}", 303)


@bp.route("/<int:app_id>/member/registration", methods=["POST"])
@WIZARD.submitted
def member_registration_changed(application):
    """The registration is not right: recorded, and the provider re-checks the grounds."""
    _member_or_404(application)
    if ContinueForm().validate_on_submit():
        member.report_change(application, CheckedItem.REGISTRATION)
        flash(_("Recorded. The provider re-checks your grounds; register at your new address "
                "so the registry shows it."), "success")
    return redirect(url_for("housing.member_page", app_id=application.id), 303)


@bp.route("/<int:app_id>/member/phone", methods=["GET", "POST"])
@WIZARD.submitted
def member_phone(application):
    """Correct the phone: it becomes the number notices go to, and the grounds are re-checked."""
    _member_or_404(application)
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            member.report_change(application, CheckedItem.PHONE, form.phone.data)
        except InvalidPhone:
            form.phone.errors = [_("Enter a Kazakh mobile number, for example +7 701 123 45 67")]
        else:
            flash(_("Your phone is changed: notices go to it. The provider re-checks your "
                    "grounds."), "success")
            return redirect(url_for("housing.member_page", app_id=application.id), 303)
    return _page("housing/member_phone.html", application, form=form,
                 registry_phone=registries().person(current_citizen().iin).phone)
