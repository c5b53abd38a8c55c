"""The owners' consent (SPEC §1 "The address" 2, §4): when each owner's hour runs, and what
the answers, the silences and the undelivered SMS decide, as pure functions.

The rule, from the sources:

- «Тұрғын үйдің иесі хабарлама алынған сәттен бастап бір сағат ішінде келісімін растауы
  қажет» [004]: the owner confirms within one hour *of receiving the message*;
  «Согласие собственника на прописку должно быть подтверждено в течение одного часа. При
  отсутствии подтверждения заявка отклоняется» [001]: no confirmation within the hour, the
  application is rejected. The hour is limits.CONSENT_PERIOD.
- [design] Each owner other than the applicant gets their own code and their own hour, counted
  from their own receipt: the provider's delivery report when one comes, else the moment the
  provider accepted the SMS. A later report only moves the start later (in the owner's
  favour), never earlier. One refusal rejects; every owner must confirm.
- [design] An owner who cannot be reached (every SMS failed for good, or none went out within
  limits.OWNER_SMS_GIVE_UP of submission) closes the application with its own reason.

The service (portal.residence.services.consent.settle) loads the requests as `Consent` facts,
writes the
hour each one's `hour_of` gives and the expiries `is_expired` finds, reads them back (an owner
may have answered meanwhile) and writes what `decide` says. Pure: no Flask, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from portal.domain import limits
from portal.domain.residence import Outcome
from portal.domain.statuses import AppStatus


class ConsentStatus(StrEnum):
    """Where one owner's request stands (stored in ConsentRequest.status)."""

    WAITING = "waiting"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Sms:
    """One SMS of a request, as the provider left it."""

    accepted_at: dt.datetime | None = None  # the provider took it; None while queued or failed
    delivered_at: dt.datetime | None = None  # its delivery report, if one came
    failed: bool = False  # given up for good

    @property
    def received_at(self) -> dt.datetime | None:
        """When the owner received it: the report, else the acceptance; None if not out."""
        if self.accepted_at is None:
            return None
        return self.delivered_at or self.accepted_at


@dataclass(frozen=True)
class Consent:
    """One owner's request: their answer, their hour (as recorded), their SMS."""

    status: ConsentStatus
    sent_at: dt.datetime | None = None  # the recorded start of the hour
    expires_at: dt.datetime | None = None  # the recorded end of the hour
    answered_at: dt.datetime | None = None
    messages: tuple[Sms, ...] = ()


@dataclass(frozen=True)
class Hour:
    """An owner's hour: from receipt of their SMS to the moment the code is dead."""

    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Decision:
    """How an application awaiting consent closes: its final status, why, and when. `at` is
    the moment the rule fixes (the refusal, the end of the hour, the give-up, the last
    confirmation), not the moment someone looked."""

    status: AppStatus
    outcome: Outcome | None
    note: str  # for the status history
    at: dt.datetime


def hour_of(consent: Consent) -> Hour | None:
    """The hour to record for a waiting request: from the first of its SMS received, unless
    the recorded start is already that late or later (a report never moves it earlier).
    None when there is nothing to record: the request is answered, nothing went out yet, or
    the recorded hour stands."""
    if consent.status != ConsentStatus.WAITING:
        return None
    received = [r for r in (m.received_at for m in consent.messages) if r is not None]
    if not received:
        return None
    start = min(received)
    if consent.sent_at is not None and start <= consent.sent_at:
        return None
    return Hour(start, start + limits.CONSENT_PERIOD)


def _current(consent: Consent) -> Consent:
    """The request with the hour it should have recorded."""
    hour = hour_of(consent)
    if hour is None:
        return consent
    return replace(consent, sent_at=hour.start, expires_at=hour.end)


def is_expired(consent: Consent, moment: dt.datetime) -> bool:
    """A waiting request whose hour has ended: at 59:59 the code still works, at 60:00 it is
    dead [004][001]."""
    consent = _current(consent)
    return consent.status == ConsentStatus.WAITING and consent.expires_at is not None and \
        moment >= consent.expires_at


def _not_reached_at(consents: Sequence[Consent], submitted_at: dt.datetime | None,
                    moment: dt.datetime) -> dt.datetime | None:
    """When an owner could not be reached: all their SMS failed for good (then), or none went
    out by the give-up time (the give-up time). None while every owner was reached or may be."""
    give_up = (submitted_at or moment) + limits.OWNER_SMS_GIVE_UP
    for consent in consents:
        if consent.status != ConsentStatus.WAITING or consent.sent_at is not None:
            continue
        if consent.messages and all(m.failed for m in consent.messages):
            return min(moment, give_up)
        if moment >= give_up:
            return give_up
    return None


def decide(consents: Sequence[Consent], submitted_at: dt.datetime | None,
           moment: dt.datetime) -> Decision | None:
    """What the owners' requests decide at `moment`, or None while the application waits.

    In this order: one refusal rejects (dated by the first refusal); else one owner's hour
    over without an answer rejects (dated by the end of the first hour that ran out); else an
    owner who cannot be reached rejects; else, when every owner confirmed, the person is
    registered (dated by the last confirmation)."""
    consents = [_current(c) for c in consents]
    consents = [replace(c, status=ConsentStatus.EXPIRED) if is_expired(c, moment) else c
                for c in consents]
    refused = [c for c in consents if c.status == ConsentStatus.REFUSED]
    if refused:
        return Decision(AppStatus.REJECTED, Outcome.OWNER_REFUSED, "owner refused",
                        min(c.answered_at or moment for c in refused))
    expired = [c for c in consents if c.status == ConsentStatus.EXPIRED]
    if expired:
        return Decision(AppStatus.REJECTED, Outcome.OWNER_TOO_LATE, "no answer in time",
                        min(c.expires_at or moment for c in expired))
    not_reached = _not_reached_at(consents, submitted_at, moment)
    if not_reached:
        return Decision(AppStatus.REJECTED, Outcome.OWNER_NOT_REACHED,
                        "owner's SMS not delivered", not_reached)
    if consents and all(c.status == ConsentStatus.CONFIRMED for c in consents):
        return Decision(AppStatus.REGISTERED, None, "all owners confirmed",
                        max(c.answered_at or moment for c in consents))
    return None
