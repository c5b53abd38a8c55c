"""Residence registration as one service of the catalogue: the shared pages (status, receipt,
cabinet) and the shared services ask this definition, never `if service == "residence"`.

Room for more: optional hooks of ServiceDefinition (e.g. ЭЦП signing) are added here as
keyword arguments when they exist."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from portal.core.labels import STATUS
from portal.core.registries import RegistryUnavailable, registries
from portal.core.services.catalogue import Row, ServiceDefinition, register
from portal.core.services.errors import Refused
from portal.domain import limits
from portal.i18n import current_language
from portal.residence.services import consent, consent_reads, residence, submission

from . import texts
from .forms import REASON_LABELS
from .wizard import WIZARD

# Residence's life cycle (the codes of portal.core.models.AppStatus it uses; blueprints do not
# import models): draft -> submitted -> [awaiting_consent ->] registered | rejected.
STATUSES = ("draft", "submitted", "awaiting_consent", "registered", "rejected")



def _applicant_rows(application, is_applicant: bool):
    """Who is registered where: the applicant's own (the QR code's reader sees neither)."""
    if not is_applicant:
        return ()
    person, address = submission.named(application, current_language())  # as submitted
    return (Row(_l("Person"), person), Row(_l("Address"), address))


def _signed_lines(application):
    """What an ЭЦП signs: the check page's lines (portal.ecp.routes adds the number and a nonce)."""
    subject, address = residence.subject_of(application), residence.address_of(application)
    data = application.data or {}
    reason = REASON_LABELS.get(data.get("reason"), "")
    if data.get("reason") == "other":
        reason = data.get("reason_other") or reason
    return ((_l("Applicant"), application.applicant_iin),
            (_l("Person"), f"{subject.full_name} ({subject.iin})" if subject else ""),
            (_l("Address"), address.label if address else ""),
            (_l("Reason"), reason))


def _submit_signed(application, signature, requester) -> bool:
    """Submit a draft just signed with ЭЦП, exactly as with the SMS code: the registries are
    asked again, owners are asked for consent. A registry that does not answer refuses (the
    signature is not kept, the draft is)."""
    applicant = registries().person(application.applicant_iin)
    try:
        submission.submit(application, applicant, signed_with="signed with ЭЦП",
                          requester=requester)
    except RegistryUnavailable:
        raise Refused("registry_unavailable") from None
    return application.status != "draft"


DEFINITION = register(ServiceDefinition(
    code="residence",  # Application.service
    name=_l("Registration at place of residence"),
    prefix=residence.PREFIX,
    statuses={status: STATUS[status] for status in STATUSES},
    final_statuses=frozenset({"registered", "rejected"}),
    good_statuses=frozenset({"registered"}),
    poll_statuses=frozenset({"awaiting_consent"}),
    start_endpoint="residence.start",
    start_label=_l("Register at an address"),
    resume_endpoint="residence.resume",
    done_endpoint="residence.done",
    receipt_endpoint="residence.receipt",
    delete_endpoint="residence.delete_draft",
    outcome_texts=texts.OUTCOMES,
    status_rows=_applicant_rows,
    cabinet_rows=_applicant_rows,  # who and where, in the history of "My applications"
    result_due=submission.result_due,
    signed_lines=_signed_lines,
    submit_signed=_submit_signed,
    missing_step=WIZARD.missing_name,
    settle=consent.settle,
    awaiting_answer=consent_reads.awaiting_owner,
    status_context={"time_left": consent.time_left},
    refusal_texts={**texts.SUBMISSION_REFUSED, "registry_unavailable": texts.REGISTRY_DOWN},
    pending_due_text=lazy_ngettext(
        "%(num)d minute after each owner receives the SMS from 1414",
        "%(num)d minutes after each owner receives the SMS from 1414",
        limits.minutes(limits.CONSENT_PERIOD)),
))
