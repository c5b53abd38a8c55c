"""SMS texts of the housing waiting list, from the catalogues, in the applicant's language (the
language of the request that submitted the application)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.core.models import AppStatus
from portal.core.services.sms_texts import ApplicantSmsText

SIGN = ApplicantSmsText(_l(
    "Mekenjai: the code to sign your housing list application is %(code)s. Do not tell anyone "
    "this code."))

DECISIONS = {
    AppStatus.IN_QUEUE: ApplicantSmsText(_l(
        "Mekenjai: application %(number)s: you are on the housing list. Your place: %(link)s")),
    AppStatus.PRELIMINARY_REFUSAL: ApplicantSmsText(_l(
        "Mekenjai: application %(number)s: a preliminary refusal, with a hearing. You may object "
        "before it: %(link)s")),
    AppStatus.UNDER_REVIEW: ApplicantSmsText(_l(
        "Mekenjai: application %(number)s is received; an officer reviews it in %(days)s working "
        "days. %(link)s")),
}
