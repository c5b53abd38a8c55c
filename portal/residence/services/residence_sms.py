"""SMS texts of residence registration: the owner's consent request (one SMS per language, see
portal.core.services.sms_texts) and the applicant's result."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.core.services.sms_texts import SmsText
from portal.residence.services.residence import Outcome

# The owner's request. The deadline is a clock time in Almaty; see consent.request_consents for
# why it is the time the SMS is queued plus the hour. "NO" is the reply word of each language
# (ЖОҚ, НЕТ), which the SMS reply parser accepts.
CONSENT_REQUEST = SmsText(_l(
    "%(applicant)s asks your consent to be registered at %(address)s. Reply %(code)s to agree, "
    "or NO %(code)s to refuse, by %(deadline)s. Do not tell anyone this code. %(link)s"))

CONSENT_REQUEST_FOR = SmsText(_l(
    "%(applicant)s asks your consent to register %(person)s at %(address)s. Reply %(code)s to "
    "agree, or NO %(code)s to refuse, by %(deadline)s. Do not tell anyone this code. %(link)s"))

REGISTERED = SmsText(_l("Mekenjai: application %(number)s: the registration is done. %(link)s"))

REJECTED = {
    Outcome.OWNER_REFUSED: SmsText(_l(
        "Mekenjai: application %(number)s is rejected: the owner refused consent. %(link)s")),
    Outcome.OWNER_TOO_LATE: SmsText(_l(
        "Mekenjai: application %(number)s is rejected: the owner did not answer in time. "
        "%(link)s")),
    Outcome.OWNER_NOT_REACHED: SmsText(_l(
        "Mekenjai: application %(number)s is rejected: the SMS could not be delivered to the "
        "owner. %(link)s")),
    Outcome.NOT_IN_LEASE: SmsText(_l(
        "Mekenjai: application %(number)s is rejected: the person is not in the lease of this "
        "home. %(link)s")),
    Outcome.NO_LONGER_ONLINE: SmsText(_l(
        "Mekenjai: application %(number)s is rejected: the registries changed, apply at a "
        "Public Service Centre. %(link)s")),
}
REJECTED_OTHER = SmsText(_l(
    "Mekenjai: application %(number)s is rejected. The reason is on its page: %(link)s"))


def rejected(outcome: str | None) -> SmsText:
    return REJECTED.get(outcome, REJECTED_OTHER)
