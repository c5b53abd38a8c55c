"""The owners' consent (SPEC §4): codes from 1414, the hour, confirmations and refusals.

The hour runs from the moment the owner's SMS left (ConsentRequest.sent_at); if the provider
is down the request waits and the hour starts when the retried SMS goes out. Every rule is
applied when a record is read (settle), so a code is dead at 60:00 whether or not the
background job ran; the job (expire_due) only does the same for records nobody reads.
Transitions are conditional UPDATEs, so several workers or a double click change a record once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app

from portal import sms
from portal.clock import now
from portal.domain.masking import mask_name
from portal.domain.people import Person
from portal.extensions import db
from portal.models import (
    Application,
    AppStatus,
    ConsentRequest,
    ConsentStatus,
    SmsMessage,
    SmsStatus,
)
from portal.registries import registries
from portal.services import codes, sms_texts
from portal.services.residence import Outcome, notify_applicant, record

OWNER_SMS_PER_HOUR = 3  # consent requests to one phone: nobody can flood an owner


class Answer(StrEnum):
    DONE = "done"
    WRONG_CODE = "wrong_code"
    LOCKED = "locked"
    EXPIRED = "expired"
    ALREADY = "already"  # answered before (or the application is closed)


def consent_minutes() -> int:
    return current_app.config["CONSENT_MINUTES"]


def _lookup(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"consent:{code.strip()}".encode(), hashlib.sha256).hexdigest()


def _unique_code() -> str:
    """A code no other waiting consent has, so a code typed at /consent finds one request."""
    while True:
        code = codes.new_code()
        clash = db.session.scalar(sa.select(ConsentRequest.id).where(
            ConsentRequest.code_lookup == _lookup(code),
            ConsentRequest.status == ConsentStatus.WAITING))
        if clash is None:
            return code


def owner_phone_busy(phone: str) -> bool:
    """True when this phone already got the most consent requests allowed in an hour."""
    since = now() - dt.timedelta(hours=1)
    sent = db.session.scalar(sa.select(sa.func.count(SmsMessage.id)).where(
        SmsMessage.phone == phone, SmsMessage.purpose == "consent",
        SmsMessage.created_at > since))
    return sent >= OWNER_SMS_PER_HOUR


def request_consents(application: Application, applicant: Person, owners: tuple[Person, ...],
                     address_label: str) -> list[SmsMessage]:
    """Create one request per owner and queue its SMS (the caller commits, then delivers)."""
    messages = []
    masked_applicant = mask_name(applicant.surname, applicant.given_name)
    for owner in owners:
        code = _unique_code()
        consent = ConsentRequest(
            application=application, owner_iin=owner.iin, owner_phone=owner.phone,
            owner_masked=mask_name(owner.surname, owner.given_name),
            link_token=secrets.token_urlsafe(6), code_hash="", code_lookup=_lookup(code),
            status=ConsentStatus.WAITING)
        db.session.add(consent)
        db.session.flush()
        consent.code_hash = codes.hash_code(code, f"consent:{consent.id}")
        link = f"{current_app.config['PUBLIC_URL']}/c/{consent.link_token}"
        message = sms.enqueue(owner.phone, sms_texts.CONSENT_REQUEST.format(
            applicant=masked_applicant, address=address_label, code=code, link=link),
            purpose="consent")
        consent.sms_id = message.id
        messages.append(message)
    return messages


def deliver_all(messages) -> None:
    """Hand queued SMS to the provider after the commit; a failure leaves them queued."""
    for message in messages:
        if message is not None:
            sms.deliver(message)


def _start_clocks(application: Application) -> None:
    """The hour of each request starts when its SMS was actually sent."""
    for consent in application.consents:
        if consent.sent_at is None and consent.sms_id:
            message = db.session.get(SmsMessage, consent.sms_id)
            if message and message.status == SmsStatus.SENT:
                consent.sent_at = message.sent_at
                consent.expires_at = message.sent_at + dt.timedelta(minutes=consent_minutes())


def _close(application: Application, status: str, outcome: str | None, note: str) -> bool:
    """AWAITING_CONSENT -> final, once; only the caller that wins sends the notices."""
    moved = db.session.execute(
        sa.update(Application)
        .where(Application.id == application.id,
               Application.status == AppStatus.AWAITING_CONSENT)
        .values(status=status, outcome=outcome, closed_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return False
    application.status, application.outcome, application.closed_at = status, outcome, now()
    record(application, status, "system", note)
    return True


def status_link(application: Application) -> str:
    return f"{current_app.config['PUBLIC_URL']}/s/{application.status_token}"


def complete(application: Application) -> SmsMessage | None:
    """Write the registration through the registry adapter and tell the applicant."""
    registries().register_residence(application.subject_iin, application.address_id, now())
    return notify_applicant(application, sms_texts.REGISTERED.format(
        number=application.number, link=status_link(application)))


def reject_notice(application: Application) -> SmsMessage | None:
    return notify_applicant(application, sms_texts.REJECTED.format(
        number=application.number, link=status_link(application)))


def settle(application: Application) -> None:
    """Bring an application awaiting consent up to date with the clock and the answers."""
    if application.status != AppStatus.AWAITING_CONSENT:
        return
    _start_clocks(application)
    moment = now()
    for consent in application.consents:
        if consent.status == ConsentStatus.WAITING and consent.expires_at and \
                moment >= consent.expires_at:
            consent.status = ConsentStatus.EXPIRED
    states = {consent.status for consent in application.consents}
    notice = None
    if ConsentStatus.REFUSED in states:
        if _close(application, AppStatus.REJECTED, Outcome.OWNER_REFUSED, "owner refused"):
            notice = reject_notice(application)
    elif ConsentStatus.EXPIRED in states:
        if _close(application, AppStatus.REJECTED, Outcome.OWNER_TOO_LATE, "no answer in time"):
            notice = reject_notice(application)
    elif states == {ConsentStatus.CONFIRMED}:
        if _close(application, AppStatus.REGISTERED, None, "all owners confirmed"):
            notice = complete(application)
    db.session.commit()
    deliver_all([notice])


def time_left(consent: ConsentRequest) -> dt.timedelta | None:
    """None while the SMS has not gone out yet (the hour has not started)."""
    if consent.expires_at is None:
        return None
    return max(dt.timedelta(0), consent.expires_at - now())


def by_link(token: str) -> ConsentRequest | None:
    consent = db.session.scalar(sa.select(ConsentRequest).where(
        ConsentRequest.link_token == token))
    if consent is not None:
        settle(consent.application)
    return consent


def by_code(code: str, phone: str | None = None) -> ConsentRequest | None:
    """The waiting request this code belongs to (for /consent and SMS replies)."""
    query = sa.select(ConsentRequest).where(ConsentRequest.code_lookup == _lookup(code),
                                            ConsentRequest.status == ConsentStatus.WAITING)
    if phone:
        query = query.where(ConsentRequest.owner_phone == phone)
    consent = db.session.scalars(query.order_by(ConsentRequest.id.desc())).first()
    if consent is not None:
        settle(consent.application)
    return consent


def _is_open(consent: ConsentRequest) -> Answer | None:
    settle(consent.application)
    if consent.status == ConsentStatus.EXPIRED:
        return Answer.EXPIRED
    if consent.status != ConsentStatus.WAITING or \
            consent.application.status != AppStatus.AWAITING_CONSENT:
        return Answer.ALREADY
    return None


def check_code(consent: ConsentRequest, code: str) -> Answer | None:
    """None when the code is right; counts wrong tries (5 at most)."""
    if consent.attempts >= current_app.config["CODE_MAX_ATTEMPTS"]:
        return Answer.LOCKED
    if codes.codes_match(consent.code_hash, code or "", f"consent:{consent.id}"):
        return None
    consent.attempts += 1
    db.session.commit()
    if consent.attempts >= current_app.config["CODE_MAX_ATTEMPTS"]:
        return Answer.LOCKED
    return Answer.WRONG_CODE


def answer(consent: ConsentRequest, agree: bool, via: str, code: str | None = None) -> Answer:
    """The owner agrees or refuses. `code` is required except for the signed-in owner."""
    closed = _is_open(consent)
    if closed:
        return closed
    if via != "cabinet":
        problem = check_code(consent, code or "")
        if problem:
            return problem
    new_status = ConsentStatus.CONFIRMED if agree else ConsentStatus.REFUSED
    moved = db.session.execute(
        sa.update(ConsentRequest)
        .where(ConsentRequest.id == consent.id, ConsentRequest.status == ConsentStatus.WAITING)
        .values(status=new_status, answered_at=now(), answered_via=via)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        return Answer.ALREADY
    record(consent.application, consent.application.status, f"owner:{consent.owner_masked}",
           f"{new_status} via {via}")
    db.session.commit()
    db.session.refresh(consent)
    settle(consent.application)
    return Answer.DONE


def expire_due(limit: int = 500) -> int:
    """The periodic job: settle applications nobody has looked at. Returns how many closed."""
    candidates = db.session.scalars(
        sa.select(Application).where(Application.status == AppStatus.AWAITING_CONSENT)
        .order_by(Application.id).limit(limit)).all()
    closed = 0
    for application in candidates:
        settle(application)
        closed += application.status != AppStatus.AWAITING_CONSENT
    return closed
