"""The owner answers (SPEC §4): by the link page, at /consent with their IIN, or by an SMS
reply. Every way counts its wrong tries on the owner's own request(s), at most
CODE_MAX_ATTEMPTS in all; a try is taken with a conditional UPDATE before the code is compared,
so parallel guesses cannot check more codes than the limit allows
(portal.residence.services.consent's
docstring has the whole picture; asking, the hour and the periodic job are there)."""

from __future__ import annotations

import hmac

import sqlalchemy as sa

from portal.clock import now
from portal.core.models import AppStatus, ConsentRequest, ConsentStatus, StatusEvent
from portal.core.services import codes
from portal.extensions import db
from portal.residence.services.consent import Answer, _lookup, max_attempts, settle
from portal.residence.services.consent_reads import waiting

SMS_REPLY_LOOKBACK = 20  # how many of a phone's latest requests a reply is matched with


def _take_try(consent_ids: list[int]) -> int:
    """Count one try on each request still below the limit; how many had one left. Atomic:
    the WHERE is checked under the row lock, so parallel tries cannot pass the limit."""
    if not consent_ids:
        return 0
    taken = db.session.execute(
        sa.update(ConsentRequest)
        .where(ConsentRequest.id.in_(consent_ids), ConsentRequest.attempts < max_attempts())
        .values(attempts=ConsentRequest.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken


def _locked(consent: ConsentRequest) -> bool:
    db.session.refresh(consent)
    return consent.attempts >= max_attempts()


def check_code(consent: ConsentRequest, code: str) -> Answer | None:
    """None when the code is right; a try is taken first, whatever the code (5 at most)."""
    if not _take_try([consent.id]):
        return Answer.LOCKED
    if codes.codes_match(consent.code_hash, code or "", f"consent:{consent.id}"):
        return None
    return Answer.LOCKED if _locked(consent) else Answer.WRONG_CODE


def _guess_on_all(candidates: list[ConsentRequest]) -> Answer:
    """A code that matches none of the owner's requests costs each of them a try."""
    taken = _take_try([c.id for c in candidates])
    if taken == 0 or all(_locked(c) for c in candidates):
        return Answer.LOCKED
    return Answer.WRONG_CODE


def by_owner_code(owner_iin: str, code: str) -> tuple[Answer | None, ConsentRequest | None]:
    """/consent without the link: the owner's IIN and the code. (None, request) when right."""
    candidates = waiting(owner_iin=owner_iin)
    if not candidates:
        return Answer.WRONG_CODE, None  # same answer as a wrong code: discloses nothing
    match = next((c for c in candidates if hmac.compare_digest(c.code_lookup, _lookup(code))),
                 None)
    if match is None:
        return _guess_on_all(candidates), None
    problem = check_code(match, code)
    return problem, match if problem is None else None


def _is_open(consent: ConsentRequest) -> Answer | None:
    settle(consent.application)
    if consent.status == ConsentStatus.EXPIRED:
        return Answer.EXPIRED
    if consent.status != ConsentStatus.WAITING or \
            consent.application.status != AppStatus.AWAITING_CONSENT:
        return Answer.ALREADY
    return None


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
    moment = now()
    moved = db.session.execute(
        sa.update(ConsentRequest)
        .where(ConsentRequest.id == consent.id, ConsentRequest.status == ConsentStatus.WAITING,
               sa.or_(ConsentRequest.expires_at.is_(None), ConsentRequest.expires_at > moment))
        .values(status=new_status, answered_at=moment, answered_via=via)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        return Answer.ALREADY
    db.session.add(StatusEvent(application=consent.application,
                               status=consent.application.status,
                               actor=f"owner:{consent.owner_masked}",
                               note=f"{new_status} via {via}", at=moment))
    db.session.commit()
    db.session.refresh(consent)
    settle(consent.application)
    return Answer.DONE


def answer_by_sms(phone: str, agree: bool, code: str) -> str:
    """A reply from a phone: only that phone's own waiting requests are looked at."""
    return sms_answer(phone, agree, code)[0]


def sms_answer(phone: str, agree: bool, code: str) -> tuple[str, ConsentRequest | None]:
    """A reply from a phone, and the request it concerns (None: none of this phone's). With no
    waiting request, a code that matches one of the phone's closed requests says why nothing
    was done: its hour had passed ("expired") or it was answered or closed ("already")."""
    candidates = waiting(owner_phone=phone)
    if not candidates:
        return _closed_request(phone, code)
    match = next((c for c in candidates if hmac.compare_digest(c.code_lookup, _lookup(code))),
                 None)
    if match is None:
        return str(_guess_on_all(candidates)), candidates[-1]
    result = answer(match, agree=agree, via="sms", code=code)
    return (str(result) if result != Answer.DONE else str(match.status)), match


def _closed_request(phone: str, code: str) -> tuple[str, ConsentRequest | None]:
    latest = db.session.scalars(
        sa.select(ConsentRequest).where(ConsentRequest.owner_phone == phone)
        .order_by(ConsentRequest.id.desc()).limit(SMS_REPLY_LOOKBACK)).all()
    match = next((c for c in latest if hmac.compare_digest(c.code_lookup, _lookup(code))),
                 None)
    if match is None:
        return "no_request", latest[0] if latest else None
    return (str(Answer.EXPIRED) if match.status == ConsentStatus.EXPIRED
            else str(Answer.ALREADY)), match
