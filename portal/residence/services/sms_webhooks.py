"""What the SMS provider posts to us: replies from phones (/sms/inbound) and delivery reports
(/sms/status). Both are idempotent by the provider's message id, and odd input gets a clear
400, never a 500: a body that is not a JSON object, fields of the wrong type, lone surrogates
or NUL characters (PostgreSQL cannot store them), over-long values."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.core import sms
from portal.core.models import ConsentRequest, InboundSms
from portal.domain.phones import InvalidPhone, normalize_mobile
from portal.extensions import db
from portal.residence.services import consent as consents
from portal.residence.services import consent_answers

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
    outcome = _apply(phone, text)
    db.session.execute(sa.update(InboundSms).where(InboundSms.id == row.id)
                       .values(outcome=outcome).execution_options(synchronize_session=False))
    db.session.commit()
    return {"outcome": outcome}, False


def _apply(phone: str | None, text: str) -> str:
    if phone is None:
        return "unknown_phone"
    match = REPLY.match(text.upper().replace("Ё", "Е"))
    if not match:
        return "not_understood"
    return consent_answers.answer_by_sms(phone, agree=match.group(1) is None, code=match.group(2))


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
