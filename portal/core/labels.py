"""Names the citizen sees for codes kept in the database."""

from flask_babel import lazy_gettext as _l

from portal.core.models import AppStatus, ConsentStatus

STATUS = {
    AppStatus.DRAFT: _l("Draft"),
    AppStatus.AWAITING_CONSENT: _l("Waiting for the owner's consent"),
    AppStatus.REGISTERED: _l("Registered"),
    AppStatus.REJECTED: _l("Rejected"),
    AppStatus.SUBMITTED: _l("Submitted"),
    AppStatus.UNDER_REVIEW: _l("Under review"),
    AppStatus.PRELIMINARY_REFUSAL: _l("Preliminary refusal, hearing scheduled"),
    AppStatus.IN_QUEUE: _l("Registered in the queue"),
    AppStatus.REFUSED: _l("Refused"),
    AppStatus.WITHDRAWN: _l("Withdrawn"),
}

CONSENT = {
    ConsentStatus.WAITING: _l("waiting"),
    ConsentStatus.CONFIRMED: _l("confirmed"),
    ConsentStatus.REFUSED: _l("refused"),
    ConsentStatus.EXPIRED: _l("expired"),
}


def status_label(code: str) -> str:
    return str(STATUS.get(code, code))


def consent_label(code: str) -> str:
    return str(CONSENT.get(code, code))
