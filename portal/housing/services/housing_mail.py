"""E-mail notices of the housing list: the same notice as the SMS (it says what to do and by
when), to the e-mail address the applicant gave at the contacts step or at "update contacts",
in the applicant's language, with a subject naming the application. Only notices come by
e-mail; signing codes go by SMS to the mobile citizens' database's number only."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from portal.core.models import Application
from portal.core.services import notices
from portal.core.services.sms_texts import SmsText

PURPOSE = "housing_notice"
SUBJECT = SmsText(_l("Mekenjai: your housing list application %(number)s"))
FOOTER = SmsText(_l(
    "You receive this e-mail because you gave this address in your housing list application. "
    "You can change or remove it on the application's page (\"Update your contacts\"). Please "
    "do not reply to this message."))
ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # what the contacts form accepts, roughly


def address_of(application: Application) -> str | None:
    """The e-mail address the application holds, or None (none given, or not an address)."""
    email = ((application.data or {}).get("email") or "").strip()
    return email if ADDRESS.fullmatch(email) else None


def queue(application: Application, text: str):
    """Queue `text` (the notice, already worded) to the application's e-mail address, with
    the subject and the footer in the applicant's language (kk and ru when unknown). None
    when no address was given."""
    recipient = address_of(application)
    if recipient is None:
        return None
    lang = (application.data or {}).get("lang")
    number = application.number or ""
    body = f"{text}\n\n-- \n{FOOTER.format(lang)}\n"
    return notices.queue_mail(recipient, SUBJECT.format(lang, number=number), body, PURPOSE)
