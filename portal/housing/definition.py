"""The housing waiting list in the services catalogue (status, receipt and cabinet pages)."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal.core.services.catalogue import Row, ServiceDefinition, catalogue
from portal.domain.statuses import AppStatus, Service
from portal.housing.services import housing_sms, submission

from . import texts
from .pages import receipt_rows
from .wizard import WIZARD


def _rows(application, is_applicant: bool):
    data = application.data or {}
    rows = []
    if data.get("queue_number"):
        rows.append(Row(_l("Number in the list"), data["queue_number"]))
    state = data.get("entry_state")
    if state and state.get("status") in ("suspended", "closed"):  # the entry, and why
        rows.append(Row(_l("Entry"), texts.ENTRY_STATUSES.get(state["status"], "")))
        if is_applicant and state.get("reason"):
            rows.append(Row(_l("Why"), texts.ENTRY_REASONS.get(state["reason"], "")))
    if data.get("decision_due"):
        rows.append(Row(_l("Decision due by"),
                        format_date(_decision_due(application), "medium")))
    if is_applicant:  # the office's reasons and answers are the applicant's alone
        if data.get("refusal_motivation"):
            rows.append(Row(_l("Reasons for the refusal"), data["refusal_motivation"]))
        for c in data.get("complaints", []):
            if c.get("answered_at"):
                rows.append(Row(texts.COMPLAINT_ANSWERS.get(c["outcome"], ""), c["answer"]))
    return rows


def _member_link(application):
    """On the list: the member's own page (place over time, consent, data)."""
    if application.status == AppStatus.IN_QUEUE:
        return _l("Your place in the list"), "housing.member_page"
    return None


def _decision_due(application) -> dt.date | None:
    """The provider's decision is due by this working day (set at submission, SPEC §2)."""
    due = (application.data or {}).get("decision_due")
    return dt.date.fromisoformat(due) if due else None


def _signed_lines(application):
    from .signing import signed_lines  # the check page's summary lives with the pages

    return signed_lines(application)


def _submit_signed(application, signature, requester) -> bool:
    return submission.submit_signed_with_ecp(application, housing_sms.DECISIONS,
                                          lang=requester.lang)


DEFINITION = ServiceDefinition(
    code=Service.HOUSING,
    name=_l("Joining the housing waiting list"),
    prefix="H",
    statuses=texts.STATUSES,
    final_statuses=frozenset({AppStatus.REFUSED, AppStatus.WITHDRAWN}),
    good_statuses=frozenset({AppStatus.IN_QUEUE}),
    start_endpoint="housing.start",
    start_label=_l("Join the housing waiting list"),
    resume_endpoint="housing.resume",
    done_endpoint="housing.done",
    receipt_endpoint="housing.receipt",
    delete_endpoint="housing.delete",
    status_rows=_rows,
    # The kiosk's paper receipt, handed to the visitor: names and phones in full [003 p.16].
    receipt_rows=lambda application, is_applicant: receipt_rows(application, is_applicant,
                                                                masked=False),
    cabinet_rows=_rows,
    cabinet_link=_member_link,
    result_due=_decision_due,
    signed_lines=_signed_lines,
    submit_signed=_submit_signed,
    missing_step=WIZARD.missing_name,
    refusal_texts=texts.REFUSALS,
)

if DEFINITION.code not in catalogue:
    catalogue.register(DEFINITION)
