"""The owners' consent (SPEC §4): codes from 1414, the hour, confirmations and refusals.

The hour runs from receipt (source [004]: «хабарлама алынған сәттен бастап»): from the
provider's delivery report when one comes (POST /sms/status), else from the moment the provider
accepted the SMS. A delivery report only ever moves the start later, in the owner's favour. If
the provider is down the request waits and the hour starts when the retried SMS goes out; an
SMS that fails for good, or is still not out OWNER_SMS_GIVE_UP after submission, closes the
application with its own reason (Outcome.OWNER_NOT_REACHED) and the applicant is told.

Every rule is applied when a record is read (settle), so a code is dead at 60:00 whether or not
the background job ran, and the decision time recorded is the deadline itself, not the moment
someone looked; the job (expire_due) only does the same for records nobody reads.

Codes cannot be guessed: every way of answering (the link page, /consent with the owner's IIN,
an SMS reply from the owner's phone) counts its wrong tries on the owner's own request(s), at
most CODE_MAX_ATTEMPTS in all. A try is taken with a conditional UPDATE before the code is
compared, so parallel guesses cannot check more codes than the limit allows. Transitions are
conditional UPDATEs, so several workers or a double click change a record once.

The rules themselves (the hour, what answers and silences decide) are pure functions in
portal.domain.consent: this module loads the requests, asks them, and writes what they say.
The owner's answers (link page, /consent, SMS reply) are in
portal.residence.services.consent_answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.clock import ALMATY, now
from portal.core import sms
from portal.core.models import (
    Application,
    AppStatus,
    ConsentRequest,
    ConsentStatus,
    PhoneLock,
    SmsMessage,
    SmsStatus,
    StatusEvent,
)
from portal.core.registries import registries
from portal.core.services import codes, notices, sms_texts
from portal.core.services.requester import NOBODY, Requester
from portal.domain import consent as rules
from portal.domain import limits
from portal.domain.masking import mask_name
from portal.domain.people import Person
from portal.extensions import db
from portal.residence.services import residence_sms
from portal.residence.services.residence import notify_applicant

OWNER_SMS_PER_HOUR = limits.CONSENT_REQUESTS_PER_PHONE_PER_HOUR  # nobody can flood an owner
OWNER_SMS_WINDOW = dt.timedelta(hours=1)
OWNER_SMS_GIVE_UP = limits.OWNER_SMS_GIVE_UP
JOB_BATCH = 100  # applications read at once by the periodic job
JOB_BUDGET_SECONDS = 50.0  # the job stops after this and goes on at its next run (cron: 1/min)


class Answer(StrEnum):
    DONE = "done"
    WRONG_CODE = "wrong_code"
    LOCKED = "locked"
    EXPIRED = "expired"
    ALREADY = "already"  # answered before (or the application is closed)


def max_attempts() -> int:
    return current_app.config["CODE_MAX_ATTEMPTS"]


def _lookup(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"consent:{(code or '').strip()}".encode(), hashlib.sha256).hexdigest()


def _unique_code() -> str:
    """A code no other waiting consent has, so a code finds at most one request."""
    while True:
        code = codes.new_code()
        clash = db.session.scalar(sa.select(ConsentRequest.id).where(
            ConsentRequest.code_lookup == _lookup(code),
            ConsentRequest.status == ConsentStatus.WAITING))
        if clash is None:
            return code


# --- the per-phone cap ---------------------------------------------------------------------------

def _lock_phone(phone: str) -> None:
    """Serialise cap checks for one phone until the caller's transaction ends: the row's UPDATE
    holds a row lock on PostgreSQL and the write lock on SQLite, across workers and servers."""
    insert = sqlite_insert if db.session.get_bind().dialect.name == "sqlite" else pg_insert
    db.session.execute(insert(PhoneLock).values(phone=phone, touched_at=now())
                       .on_conflict_do_nothing())
    db.session.execute(sa.update(PhoneLock).where(PhoneLock.phone == phone)
                       .values(touched_at=now()).execution_options(synchronize_session=False))


def owner_phone_busy(phone: str) -> bool:
    """True when this phone already got the most consent requests allowed in an hour.
    Takes the phone's lock first, so the count and the caller's new request (committed in the
    same transaction) cannot interleave with another submission's."""
    _lock_phone(phone)
    since = now() - OWNER_SMS_WINDOW
    asked = db.session.scalar(
        sa.select(sa.func.count(ConsentRequest.id))
        .join(SmsMessage, SmsMessage.id == ConsentRequest.sms_id)
        .where(ConsentRequest.owner_phone == phone, SmsMessage.created_at > since))
    return asked >= OWNER_SMS_PER_HOUR


# --- asking --------------------------------------------------------------------------------------

def owner_texts(*, applicant: str, person: str | None, address, code: str, deadline: str,
                link: str, lang: str | None = None) -> list[tuple[str, str]]:
    """The owner's SMS as (language, body): one in the applicant's language when it is Kazakh or
    Russian, else one in each (sms_texts.owner_languages). Each within three UCS-2 parts: an
    address too long for that is shortened, never the code, the deadline or the link.
    `address` is the label, or a function of the language giving it in that language."""
    text = residence_sms.CONSENT_REQUEST_FOR if person else residence_sms.CONSENT_REQUEST
    bodies = []
    for language in sms_texts.owner_languages(lang):
        label = address(language) if callable(address) else address
        values = dict(applicant=applicant, person=person, address=label, code=code,
                      deadline=deadline, link=link)
        body = text.render(language, **values)
        excess = len(body) - sms_texts.MAX_CHARS
        if excess > 0:
            values["address"] = label[:max(12, len(label) - excess - 1)].rstrip() + "…"
            body = text.render(language, **values)
        bodies.append((language, body))
    return bodies


def request_consents(application: Application, applicant: Person, owners: tuple[Person, ...],
                     address_label, lang: str | None = None) -> list[SmsMessage]:
    """Create one request per owner and queue its SMS (the caller commits, then delivers).
    `lang` is the applicant's language (their SMS go in it, when Kazakh or Russian);
    `address_label` a label or a function of the language giving it in that language."""
    messages = []
    masked_applicant = mask_name(applicant.surname, applicant.given_name)
    subject = None
    if application.subject_iin and application.subject_iin != applicant.iin:
        person = registries().person(application.subject_iin)
        subject = mask_name(person.surname, person.given_name) if person else None
    # The deadline printed in the SMS: the hour counted from now, when the SMS is queued. The
    # real hour starts at acceptance or delivery, which is never earlier, so an owner who
    # answers by the printed time is always in time (at worst they get a little more). A
    # retried SMS gets its deadline re-written when it finally goes out (refresh_deadline).
    deadline = _clock_time(now() + limits.CONSENT_PERIOD)
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
        queued = [sms.enqueue(owner.phone, body, purpose="consent") for _lang, body in owner_texts(
            applicant=masked_applicant, person=subject, address=address_label, code=code,
            deadline=deadline, link=link, lang=lang)]
        consent.sms_id = queued[0].id
        consent.sms_second_id = queued[1].id if len(queued) > 1 else None
        messages += queued
    return messages


def applicant_language(application: Application, requester: Requester = NOBODY) -> str | None:
    """The language of the applicant's SMS: the request's when the applicant is asking, else the
    one they applied in (kept with the application at submission)."""
    return requester.language_for(application.applicant_iin) or \
        (application.data or {}).get("lang")


def _clock_time(moment: dt.datetime) -> str:
    return moment.astimezone(ALMATY).strftime("%H:%M")


def refresh_deadline(message: SmsMessage) -> None:
    """Before a late retry goes out: the deadline it prints is re-counted from now."""
    old = _clock_time(message.created_at + limits.CONSENT_PERIOD)
    new = _clock_time(now() + limits.CONSENT_PERIOD)
    message.body = message.body.replace(old, new)


sms.on_retry("consent", refresh_deadline)


def deliver_all(messages) -> None:
    """Hand queued SMS to the provider after the commit; a failure leaves them queued."""
    for message in messages:
        if message is not None:
            sms.dispatch(message)


# --- settling: the clock and the answers ---------------------------------------------------------

def _messages_of(consent: ConsentRequest) -> list[SmsMessage]:
    ids = [i for i in (consent.sms_id, consent.sms_second_id) if i]
    return [m for m in (db.session.get(SmsMessage, i) for i in ids) if m is not None]


def _facts(consent: ConsentRequest) -> rules.Consent:
    """A request as the domain's rules see it."""
    return rules.Consent(
        status=ConsentStatus(consent.status), sent_at=consent.sent_at,
        expires_at=consent.expires_at, answered_at=consent.answered_at,
        messages=tuple(rules.Sms(accepted_at=m.sent_at if m.status == SmsStatus.SENT else None,
                                 delivered_at=m.delivered_at,
                                 failed=m.status == SmsStatus.FAILED)
                       for m in _messages_of(consent)))


def _start_clocks(application: Application) -> None:
    """Record each waiting request's hour where its SMS was received (rules.hour_of)."""
    for consent in application.consents:
        hour = rules.hour_of(_facts(consent))
        if hour is not None:
            consent.sent_at, consent.expires_at = hour.start, hour.end


def _expire(application: Application, moment: dt.datetime) -> None:
    """Mark the requests whose hour is over (rules.is_expired), each once: conditional on it
    still waiting, then read back (an owner's answer may have won the race)."""
    for consent in application.consents:
        if rules.is_expired(_facts(consent), moment):
            db.session.execute(
                sa.update(ConsentRequest)
                .where(ConsentRequest.id == consent.id,
                       ConsentRequest.status == ConsentStatus.WAITING)
                .values(status=ConsentStatus.EXPIRED)
                .execution_options(synchronize_session=False))
            db.session.refresh(consent)


def _close(application: Application, decision: rules.Decision) -> bool:
    """AWAITING_CONSENT -> final, once, as the rules decided; only the caller that wins sends
    notices. Owners' SMS still queued are cancelled: nobody is asked about a closed application."""
    moved = db.session.execute(
        sa.update(Application)
        .where(Application.id == application.id,
               Application.status == AppStatus.AWAITING_CONSENT)
        .values(status=decision.status, outcome=decision.outcome, closed_at=decision.at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return False
    application.status, application.outcome, application.closed_at = \
        decision.status, decision.outcome, decision.at
    db.session.add(StatusEvent(application=application, status=decision.status, actor="system",
                               note=decision.note, at=decision.at))
    ids = [i for c in application.consents for i in (c.sms_id, c.sms_second_id) if i]
    if ids:
        db.session.execute(
            sa.update(SmsMessage)
            .where(SmsMessage.id.in_(ids), SmsMessage.status == SmsStatus.QUEUED)
            .values(status=SmsStatus.FAILED, next_attempt_at=None,
                    last_error="not sent: the application was closed")
            .execution_options(synchronize_session=False))
    return True


def status_link(application: Application) -> str:
    return notices.status_url(application)  # from PUBLIC_URL and the URL map


def complete(application: Application, at: dt.datetime | None = None,
             requester: Requester = NOBODY) -> SmsMessage | None:
    """Write the registration through the registry adapter and tell the applicant (in their
    language when they made this request, `requester`)."""
    registries().register_residence(application.subject_iin, application.address_id,
                                    at or now())
    return notify_applicant(application, residence_sms.REGISTERED.format(
        applicant_language(application, requester), number=application.number,
        link=status_link(application)))


def reject_notice(application: Application, requester: Requester = NOBODY) -> SmsMessage | None:
    """Tell the applicant the application is rejected, and why (application.outcome)."""
    return notify_applicant(application, residence_sms.rejected(application.outcome).format(
        applicant_language(application, requester), number=application.number,
        link=status_link(application)))


def settle(application: Application, requester: Requester = NOBODY) -> None:
    """Bring an application awaiting consent up to date with the clock and the answers;
    `requester` (who asks, in which language) words the applicant's SMS if it closes now."""
    if application.status != AppStatus.AWAITING_CONSENT:
        return
    moment = now()
    _start_clocks(application)
    _expire(application, moment)
    decision = rules.decide([_facts(c) for c in application.consents],
                            application.submitted_at, moment)
    notice = None
    if decision is not None and _close(application, decision):
        notice = complete(application, decision.at, requester) \
            if decision.status == AppStatus.REGISTERED else reject_notice(application, requester)
    db.session.commit()
    deliver_all([notice])


def time_left(consent: ConsentRequest) -> dt.timedelta | None:
    """None while the SMS has not gone out yet (the hour has not started)."""
    if consent.expires_at is None:
        return None
    return max(dt.timedelta(0), consent.expires_at - now())


def clock_from_delivery(consent: ConsentRequest) -> bool:
    """True when the hour counts from a delivery report, False from the provider's acceptance."""
    return any(m.delivered_at and (m.delivered_at) == consent.sent_at
               for m in _messages_of(consent))


def settle_all(applications) -> None:
    for application in applications:
        settle(application)


# --- the periodic job ----------------------------------------------------------------------------

def expire_due(batch: int = JOB_BATCH, budget_seconds: float = JOB_BUDGET_SECONDS) -> int:
    """Settle every application awaiting consent, in batches by id (keyset), so applications
    that stay waiting (an SMS still retrying) cannot starve the rest; stops after the time
    budget and goes on at the next run. Returns how many it closed."""
    started, last_id, closed = time.monotonic(), 0, 0
    while time.monotonic() - started < budget_seconds:
        page = db.session.scalars(
            sa.select(Application)
            .where(Application.status == AppStatus.AWAITING_CONSENT, Application.id > last_id)
            .order_by(Application.id).limit(batch)).all()
        if not page:
            break
        for application in page:
            settle(application)
            closed += application.status != AppStatus.AWAITING_CONSENT
        last_id = page[-1].id
    return closed
