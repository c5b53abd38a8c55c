"""SMS texts of the housing waiting list, from the catalogues, in the applicant's language (the
language of the request that submitted the application, which the route hands down)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.core.models import AppStatus
from portal.core.services.sms_texts import SmsText

SIGN = SmsText(_l(
    "Mekenjai: the code to sign your housing list application is %(code)s. Do not tell anyone "
    "this code."))

DECISIONS = {
    AppStatus.IN_QUEUE: SmsText(_l(
        "Mekenjai: application %(number)s: you are on the housing list. Your place: %(link)s")),
    AppStatus.PRELIMINARY_REFUSAL: SmsText(_l(
        "Mekenjai: application %(number)s: a preliminary refusal, with a hearing. You may object "
        "before it: %(link)s")),
    AppStatus.UNDER_REVIEW: SmsText(_l(
        "Mekenjai: application %(number)s is received; an officer reviews it in %(days)s working "
        "days. %(link)s")),
}
