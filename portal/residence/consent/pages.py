"""The owner's two pages are the shared code page (templates/signing/code.html): the link page
(/c/<token>: what is asked, the code, Agree or Refuse; the signed-in owner answers without a
code; an outcome once the request has ended) and /consent (the IIN and the code). The texts are
portal.core.signing_texts' own, keyed by reason."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.citizens import current_iin
from portal.core.labels import consent_label
from portal.core.registries import registries
from portal.core.services.errors import Refused
from portal.core.signing_forms import Choice, CodeForm, CodePage, Outcome
from portal.core.signing_texts import check_refusal
from portal.core.web import render_page
from portal.domain.masking import mask_name
from portal.residence.services import consent as consents
from portal.residence.services import residence

# The codes of portal.core.models.ConsentStatus / AppStatus read here (blueprints do not import
# models).
WAITING, CONFIRMED, EXPIRED = "waiting", "confirmed", "expired"
AWAITING_CONSENT = "awaiting_consent"

CODE_LABEL = _l("Code from the 1414 SMS")
# decision=agree|refuse: what the link route reads (portal.residence.consent.routes.answer).
CHOICES = (Choice(_l("Agree"), "decision", "agree"),
           Choice(_l("Refuse"), "decision", "refuse", warning=True))


def _masked(iin: str | None) -> str:
    person = registries().person(iin) if iin else None
    return mask_name(person.surname, person.given_name) if person else ""


def is_owner(consent) -> bool:
    reader = current_iin()  # from the session: the registry is not asked
    return reader is not None and reader == consent.owner_iin


def refusal(result: consents.Answer, consent=None) -> str:
    """What the owner reads for a code not accepted: on the link page (`consent` given) a
    wrong code says the tries left or the lock; at /consent, where anyone may type any IIN,
    every refusal reads the same, so it never tells whether that IIN has a waiting request."""
    if consent is None:
        return check_refusal(Refused("no_request"))
    if result == consents.Answer.LOCKED:
        return check_refusal(Refused("locked_sign_in"))
    left = max(0, consents.max_attempts() - consent.attempts)
    return check_refusal(Refused("wrong", attempts_left=left))


def _outcome(consent, answered) -> Outcome | None:
    if answered == consents.Answer.DONE:
        if consent.status == CONFIRMED:
            return Outcome(_("You have agreed to the registration."), "success")
        return Outcome(_("You have refused. The application is rejected."), "warning")
    if consent.status == EXPIRED:
        return Outcome(_("The hour to answer has passed: this request has expired and the "
                         "application was rejected. You do not need to do anything."),
                       "warning", alert=True)
    if consent.status == WAITING:
        if consent.application.status == AWAITING_CONSENT:
            return None
        return Outcome(_("This application has already been closed: your answer is no longer "
                         "needed. You do not need to do anything."))
    return Outcome(_("This request has already been answered: %(status)s.",
                     status=consent_label(consent.status)))


def link_page(consent, form: CodeForm, answered: consents.Answer | None = None):
    """The request, the code (unless the signed-in owner answers), Agree / Refuse."""
    application = consent.application
    subject = _masked(application.subject_iin) \
        if application.subject_iin != application.applicant_iin else ""
    page = CodePage(
        title=_l("Thank you") if answered else _l("Consent to registration"),
        action=url_for("consent.answer", token=consent.link_token),
        intro="consent/_request.html", code_label=CODE_LABEL, ask_code=not is_owner(consent),
        choices=CHOICES, outcome=_outcome(consent, answered))
    return render_page(
        "signing/code.html", page=page, form=form,
        applicant_masked=_masked(application.applicant_iin), subject_masked=subject,
        address=residence.address_of(application), time_left=consents.time_left(consent),
        from_delivery=consents.clock_from_delivery(consent))


def enter_page(form: CodeForm):
    """/consent: the owner's IIN and the code from 1414, for an owner without the link."""
    page = CodePage(
        title=_l("Confirm a registration at your address"), action=url_for("consent.enter"),
        lead=_l("If you received an SMS from 1414 asking for your consent, enter your IIN and "
                "the code from the SMS."),
        fields=("iin",), code_label=CODE_LABEL, submit_label=_l("Continue"))
    return render_page("signing/code.html", page=page, form=form)
