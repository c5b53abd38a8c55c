"""Translated texts of the housing journey: a literal msgid for every code of the domain data
(grounds, statuses, refusals), so Babel extracts them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain import limits
from portal.domain.housing.queue import GENERAL_LIST, EntryStatus
from portal.domain.statuses import AppStatus
from portal.housing.labels import (  # noqa: F401 (re-exported for the journey's pages)
    CASES,
    COMPLAINT_BODIES,
    COMPLAINT_SUBJECTS,
    GROUND_NAMES,
    GROUND_REFERENCES,
)

STATUSES = {
    AppStatus.DRAFT: _l("Draft"),
    AppStatus.SUBMITTED: _l("Submitted"),
    AppStatus.UNDER_REVIEW: _l("Under review"),
    AppStatus.PRELIMINARY_REFUSAL: _l("Preliminary refusal"),
    AppStatus.IN_QUEUE: _l("On the list"),
    AppStatus.REFUSED: _l("Refused"),
    AppStatus.WITHDRAWN: _l("Withdrawn"),
}

ENTRY_STATUSES = {
    EntryStatus.ACTIVE: _l("Active"),
    EntryStatus.SUSPENDED: _l("Suspended"),
    EntryStatus.CLOSED: _l("Closed"),
}

# Why an entry is suspended or closed (portal.domain.housing.queue, with the sources).
ENTRY_REASONS = {
    "data_not_confirmed": _l("The data is not confirmed: answer the provider's request"),
    "consent_withdrawn": _l("The consent to collect and process personal data is withdrawn"),
    "consent_missing": _l("The consent to collect and process personal data is not given yet"),
    "housed": _l("Provided with a dwelling"),
    "removed": _l("Removed from the list by the provider's decision"),
    "withdrawn": _l("Withdrawn by the applicant"),
}

GENERAL_LIST_NAME = _l("General list")
LIST_CODES = (GENERAL_LIST,)

REFUSALS = {
    "not_on_the_list": _l("This application is not on the list any more."),
    "consent_already_given": _l("Your consent is already signed."),
    "no_consent_to_withdraw": _l("There is no signed consent to withdraw."),
    "not_represented": _l("The registries do not show you as this person's legal "
                          "representative."),
    "empty": _l("The file is empty. Choose the scan or photo of the conclusion."),
    "too_large": _l("The file is larger than %(num)s MB. Send a smaller scan or photo.",
                    num=limits.UPLOAD_MAX_MEGABYTES),
    # A body over the limit is refused before it is read (portal.core.web.too_large): the
    # browser comes back to the step, and nothing of that form was kept.
    "too_large_unsent": _l("The file is larger than %(num)s MB, so nothing was sent. Choose a "
                           "smaller scan or photo and send the form again.",
                           num=limits.UPLOAD_MAX_MEGABYTES),
    "wrong_type": _l("The file is not a PDF, JPG or PNG. Send a PDF, JPG or PNG."),
    "too_many_documents": _l("This application already holds %(num)s files, the most allowed. "
                             "Remove a file you no longer need, then attach this one.",
                             num=limits.DOCUMENTS_PER_APPLICATION),
    "too_many_uploads": _l("You have sent %(num)s files in the last 24 hours, the most allowed. "
                           "Send this one later; your answers are kept.",
                           num=limits.UPLOADS_PER_PERSON_PER_DAY),
    "member_listed": _l("This person is already on the list."),
    "member_unknown": _l("The population registry has no person with this IIN."),
    "too_many_members": _l("The list cannot hold more family members."),
    "too_many_objections": _l("You have sent as many objections as one application can have. "
                              "Add what is left at the hearing."),
    "too_many_complaints": _l("You have sent as many complaints about this application as it "
                              "can have. Wait for the answers, or call 1414."),
    "no_personal_data_consent": _l(
        "Without this consent the provider cannot check your data in the state information "
        "systems, so the application cannot go on (Rules, p. 12)."),
    "unknown_settlement": _l("Choose a settlement"),
    "already_submitted": _l("This application has already been submitted."),
    "cannot_withdraw": _l("This application can no longer be withdrawn."),
    "no_subject": _l("Choose who is to be put on the list"),
    "not_preliminary": _l("There is no preliminary refusal to object to."),
    "hearing_passed": _l("The time for objections has ended: the hearing's time has come (or "
                         "you asked for the decision without the hearing). The objection is "
                         "not sent. To contest the decision, complain about it."),
    "not_submitted": _l("This application is not submitted yet."),
    "not_listed": _l("This application holds no place in the list to move."),
    "unknown_category": _l("Choose a category from the list."),
    "nothing_to_complain": _l("There is no such decision, action or delay on this application "
                              "to complain about. Choose what your complaint is about."),
    "already_applied": _l("This person already has an application for the housing waiting list "
                          "(%(number)s), in progress or on the list: a second one is not "
                          "accepted. This application is not submitted; your answers are "
                          "kept."),
    "already_listed": _l("This person is already on this waiting list with another "
                         "application. This application is not submitted; your answers are "
                         "kept."),
}

COMPLAINT_ANSWERS = {
    "satisfied": _l("Your complaint is satisfied; the decision is changed"),
    "partly": _l("Your complaint is partly satisfied"),
    "refused": _l("Your complaint is refused"),
}
