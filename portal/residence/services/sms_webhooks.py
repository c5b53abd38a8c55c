"""What the SMS provider posts to us: replies from phones (/sms/inbound) and delivery reports
(/sms/status). Both are idempotent by the provider's message id, and odd input gets a clear
400, never a 500: a body that is not a JSON object, fields of the wrong type, lone surrogates
or NUL characters (PostgreSQL cannot store them), over-long values."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.core import sms
from portal.core.models import ConsentRequest, InboundSms
from portal.core.services import sms_texts
from portal.domain.phones import InvalidPhone, normalize_mobile
from portal.extensions import db
from portal.residence.services import consent as consents
from portal.residence.services import consent_answers, consent_reads, residence_sms

MAX_ID = 128  # InboundSms.provider_id, SmsMessage.provider_ref
MAX_PHONE = 32
MAX_TEXT = 1600  # ten concatenated parts: longer is no reply of an owner; kept truncated
SURROGATE = re.compile("[\ud800-\udfff]")
REPLY = re.compile(r"^\s*(?:(ЖОҚ|ЖОК|НЕТ|NO)\s+)?(\d{6})\s*$", re.IGNORECASE)


class BadPayload(ValueError):
    """The post is refused as a whole (HTTP 400) with this explanation."""


def _clean(value: str) -> str:
    """Lone surrogates become U+FFFD and NULs go: both would break the database."""
    return SURROGATE.sub("\ufffd", value).replace("\x00", "")


def _field(payload: dict, key: str, limit: int, required: bool = True) -> str:
    value = payload.get(key)
    if value is None or value == "":
        if required:
            raise BadPayload(f"{key} is required")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadPayload(f"{key} must be a string")
    value = str(value)
    if key != "text" and _clean(value) != value:
        raise BadPayload(f"{key} has characters that are not allowed")
    if len(value) > limit:
        if key != "text":
            raise BadPayload(f"{key} is longer than {limit} characters")
        value = value[:limit]
    return _clean(value)


def _object(payload) -> dict:
    if not isinstance(payload, dict):
        raise BadPayload("the body must be a JSON object")
    return payload


def receive_reply(payload) -> tuple[dict, bool]:
    """Apply one reply once. Returns (answer, duplicate). The row is written and committed
    first, so of several posts of one id (even at the same moment) exactly one applies it; the
    others get the unique-constraint error and answer as repeats."""
    payload = _object(payload)
    message_id = _field(payload, "id", MAX_ID)
    raw_phone = _field(payload, "from", MAX_PHONE)
    text = _field(payload, "text", MAX_TEXT, required=False)
    try:
        phone = normalize_mobile(raw_phone)
    except InvalidPhone:
        phone = None
    row = InboundSms(provider_id=message_id, phone=(phone or raw_phone)[:16], body=text,
                     outcome="received")
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        seen = db.session.scalar(sa.select(InboundSms).where(
            InboundSms.provider_id == message_id))
        return {"outcome": seen.outcome if seen else "received", "duplicate": True}, True
    outcome, consent = _apply(phone, text)
    db.session.execute(sa.update(InboundSms).where(InboundSms.id == row.id)
                       .values(outcome=outcome).execution_options(synchronize_session=False))
    answer = _answer_sms(phone, outcome, consent, text)
    db.session.commit()
    sms.dispatch(answer)
    return {"outcome": outcome}, False


def _apply(phone: str | None, text: str) -> tuple[str, ConsentRequest | None]:
    if phone is None:
        return "unknown_phone", None
    match = REPLY.match(text.upper().replace("Ё", "Е"))
    if not match:
        known = consent_reads.waiting(owner_phone=phone)
        return "not_understood", known[-1] if known else None
    return consent_answers.sms_answer(phone, agree=match.group(1) is None, code=match.group(2))


def _answer_sms(phone: str | None, outcome: str, consent: ConsentRequest | None,
                text: str):
    """The short SMS back to an owner who replied: what the reply did, or why it did nothing
    (wrong code, locked, expired, already answered; how to reply when it was not understood).
    Only to a phone that was asked (a request of theirs is known): a stranger's text gets no
    SMS. In the language of the request the owner got (the applicant's, else kk and ru)."""
    wording = residence_sms.reply(outcome)
    if phone is None or consent is None or wording is None:
        return None
    lang = consents.applicant_language(consent.application)
    languages = sms_texts.owner_languages(lang)
    match = REPLY.match(text.upper().replace("Ё", "Е"))
    body = wording.format(
        languages[0] if len(languages) == 1 else None,
        number=consent.application.number or "", code=match.group(2) if match else "",
        link=f"{current_app.config['PUBLIC_URL']}/")
    return sms.enqueue(phone, body, purpose="consent_reply")


DELIVERED = {"delivered", "delivrd"}


def receive_status(payload) -> dict:
    """A delivery report {"id": provider message id, "status": "delivered", "delivered_at":
    ISO 8601 with a zone}. The first report of a message counts; the owner's hour is then
    counted from it. Reports of other states are acknowledged and ignored."""
    payload = _object(payload)
    ref = _field(payload, "id", MAX_ID)
    state = _field(payload, "status", 32).lower()
    if state not in DELIVERED:
        return {"outcome": "ignored"}
    stamp = _field(payload, "delivered_at", 64)
    try:
        delivered_at = dt.datetime.fromisoformat(stamp)
    except ValueError as exc:
        raise BadPayload("delivered_at must be an ISO 8601 time") from exc
    if delivered_at.tzinfo is None:
        raise BadPayload("delivered_at needs a time zone")
    message = sms.record_delivery(ref, delivered_at.astimezone(dt.UTC))
    if message is None:
        db.session.rollback()
        return {"outcome": "unknown_message"}
    db.session.commit()
    consent = db.session.scalar(sa.select(ConsentRequest).where(sa.or_(
        ConsentRequest.sms_id == message.id, ConsentRequest.sms_second_id == message.id)))
    if consent is not None:
        consents.settle(consent.application)
    return {"outcome": "delivered", "delivered_at": message.delivered_at.isoformat()}


sms.on_reply(receive_reply)  # the demo outbox's reply form posts through the core (portal.demo)
