"""SMS texts of residence registration: the owner's consent request (in the applicant's language,
or one SMS in Kazakh and one in Russian: portal.core.services.sms_texts.owner_languages), the
applicant's result (in the language they applied in), and the answer to an owner's SMS reply."""

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


# The answer to an owner who replied to the request by SMS (portal.residence.services
# .sms_webhooks): what their reply did, or why it did nothing. Short: the reader has just read
# the request, so the reason is enough.
REPLY_AGREED = SmsText(_l(
    "Mekenjai: your consent to the registration, application %(number)s, is recorded. Thank "
    "you."))
REPLY_REFUSED = SmsText(_l(
    "Mekenjai: your refusal, application %(number)s, is recorded. Nobody is registered."))
REPLY_WRONG_CODE = SmsText(_l(
    "Mekenjai: the code %(code)s is wrong. Reply with the 6 digits of the SMS from 1414."))
REPLY_LOCKED = SmsText(_l(
    "Mekenjai: too many wrong codes. To answer, sign in to the portal: %(link)s"))
REPLY_EXPIRED = SmsText(_l(
    "Mekenjai: the time to answer has passed; the application is rejected. Nothing more to "
    "do."))
REPLY_ALREADY = SmsText(_l(
    "Mekenjai: this request is already answered or closed. Nothing more to do."))
REPLY_NOT_UNDERSTOOD = SmsText(_l(
    "Mekenjai: to agree, reply with the 6-digit code; to refuse, reply NO and the code."))

REPLIES = {
    "confirmed": REPLY_AGREED, "refused": REPLY_REFUSED, "wrong_code": REPLY_WRONG_CODE,
    "locked": REPLY_LOCKED, "expired": REPLY_EXPIRED, "already": REPLY_ALREADY,
    "not_understood": REPLY_NOT_UNDERSTOOD,
}


def reply(outcome: str) -> SmsText | None:
    """The answer to an owner's SMS reply with this outcome; None: no answer is sent (a phone
    that has no request at all gets nothing back)."""
    return REPLIES.get(outcome)
