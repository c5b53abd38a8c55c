"""Notices to applicants, and links that reach the portal from outside it (SMS, QR codes).

SMS (and e-mail, `queue_mail`, the same way) are queued in the caller's transaction and handed
to the provider only after it commits: `queue_sms` stores the message and remembers it on the
session; `commit()` commits and then delivers what this transaction queued. A rollback forgets
them (and the stored rows go with it), so a refused or failed use case never texts anybody. A
provider failure after the commit is recorded by portal.core.sms and retried by the job; it
never undoes the use case.

Links are built from the app's URL map and PUBLIC_URL (never by hand), so they work in a
request, in a background job and in a CLI command alike.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.core import mail, sms
from portal.core.models import Application, MailMessage, SmsMessage
from portal.core.registries import registries
from portal.extensions import db

PENDING = "mekenjai.pending_sms"  # key in Session.info: messages queued in this transaction
PENDING_MAIL = "mekenjai.pending_mail"  # ...and e-mail
APPLICANT_NOTICE = "applicant_notice"


def queue_sms(phone: str, text: str, purpose: str = "") -> SmsMessage:
    """Store an SMS in the current transaction; it is sent after `commit()`."""
    message = sms.enqueue(phone, text, purpose=purpose)
    db.session.info.setdefault(PENDING, []).append(message)
    return message


def queue_mail(recipient: str, subject: str, body: str, purpose: str = "") -> MailMessage:
    """Store an e-mail in the current transaction; it is sent after `commit()`, like an SMS."""
    message = mail.enqueue(recipient, subject, body, purpose=purpose)
    db.session.info.setdefault(PENDING_MAIL, []).append(message)
    return message


def notify_applicant(application: Application, text: str,
                     purpose: str = APPLICANT_NOTICE) -> SmsMessage | None:
    """Queue `text` to the phone the mobile citizens' database holds for the applicant (never a
    phone typed into a form). None when the registry has no phone: the cabinet still shows it."""
    applicant = registries().person(application.applicant_iin)
    if applicant is None or not applicant.phone:
        return None
    return queue_sms(applicant.phone, text, purpose)


def pending() -> list[SmsMessage]:
    return list(db.session.info.get(PENDING, []))


def commit() -> list[SmsMessage]:
    """Commit the use case, then try to send what it queued (each SMS commits its own attempt).
    Returns the messages handed over."""
    messages = db.session.info.pop(PENDING, [])
    mails = db.session.info.pop(PENDING_MAIL, [])
    db.session.commit()
    for message in messages:
        sms.dispatch(message)
    for message in mails:
        mail.dispatch(message)
    return messages


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    # What a rolled-back transaction queued was never stored: do not send it.
    session.info.pop(PENDING, None)
    session.info.pop(PENDING_MAIL, None)


# --- Links ------------------------------------------------------------------------------------

def public_url_for(endpoint: str, **values) -> str:
    """An absolute URL on PUBLIC_URL for an endpoint, with or without a request context: what
    url_for(_external=True) gives, but on the address the public reaches (the app may sit
    behind a proxy, or run as a job with no request at all)."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def status_url(application: Application) -> str:
    """The status page behind the application's QR code and SMS links."""
    return public_url_for("status.show", token=application.status_token)


def status_qr_url(application: Application) -> str:
    return public_url_for("status.qr", token=application.status_token)
