"""The owners' consent as pure rules (portal.domain.consent): the hour from receipt of the SMS
[004][001], and what every mix of answers, silences and undelivered SMS decides. No app, no
database: plain facts in, a decision out."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import limits
from portal.domain.consent import (
    Consent,
    ConsentStatus,
    Decision,
    Sms,
    decide,
    hour_of,
    is_expired,
)
from portal.domain.residence import Outcome
from portal.domain.statuses import AppStatus

SUBMITTED = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
HOUR = limits.CONSENT_PERIOD
SECOND = dt.timedelta(seconds=1)


def received(at: dt.datetime, delivered: dt.datetime | None = None, **answer) -> Consent:
    """A request whose SMS the provider took at `at` (and maybe reported delivered), with the
    hour recorded as the service records it."""
    sms = Sms(accepted_at=at, delivered_at=delivered)
    start = delivered or at
    return Consent(answer.pop("status", ConsentStatus.WAITING), sent_at=start,
                   expires_at=start + HOUR, messages=(sms,), **answer)


# --- the hour: from receipt, 59:59 in time, 60:00 too late ---------------------------------

def test_the_hour_is_one_hour_as_the_sources_say():
    assert limits.CONSENT_PERIOD == dt.timedelta(hours=1)  # «бір сағат ішінде» [004]


@pytest.mark.parametrize("elapsed, expired", [
    (HOUR - SECOND, False),  # 59:59: the code still works
    (HOUR, True),  # 60:00: dead
    (HOUR + SECOND, True),
])
def test_the_code_dies_at_sixty_minutes_from_receipt(elapsed, expired):
    consent = received(SUBMITTED)
    assert is_expired(consent, SUBMITTED + elapsed) is expired


@pytest.mark.parametrize("elapsed, decision", [
    (HOUR - SECOND, None),
    (HOUR, Decision(AppStatus.REJECTED, Outcome.OWNER_TOO_LATE, "no answer in time",
                    SUBMITTED + HOUR)),
])
def test_silence_for_the_hour_rejects_dated_by_the_hours_end(elapsed, decision):
    assert decide([received(SUBMITTED)], SUBMITTED, SUBMITTED + elapsed) == decision


def test_the_rejection_is_dated_by_the_deadline_not_by_when_someone_looked():
    late = SUBMITTED + dt.timedelta(days=3)
    assert decide([received(SUBMITTED)], SUBMITTED, late).at == SUBMITTED + HOUR


def test_a_confirmation_at_fifty_nine_fifty_nine_registers():
    answered = SUBMITTED + HOUR - SECOND
    consent = received(SUBMITTED, status=ConsentStatus.CONFIRMED, answered_at=answered)
    assert decide([consent], SUBMITTED, SUBMITTED + 2 * HOUR) == Decision(
        AppStatus.REGISTERED, None, "all owners confirmed", answered)


def test_the_hour_runs_from_the_delivery_report_when_one_comes():
    accepted, delivered = SUBMITTED, SUBMITTED + dt.timedelta(minutes=7)
    consent = Consent(ConsentStatus.WAITING, messages=(Sms(accepted, delivered),))
    assert hour_of(consent).start == delivered
    assert hour_of(consent).end == delivered + HOUR
    assert not is_expired(consent, accepted + HOUR)  # an hour from acceptance: still in time
    assert is_expired(consent, delivered + HOUR)


def test_the_hour_runs_from_acceptance_without_a_report():
    consent = Consent(ConsentStatus.WAITING, messages=(Sms(SUBMITTED),))
    assert hour_of(consent).start == SUBMITTED


def test_the_hour_runs_from_the_first_of_the_owners_sms_received():
    kazakh = Sms(SUBMITTED + dt.timedelta(minutes=3))
    russian = Sms(SUBMITTED + dt.timedelta(minutes=1), SUBMITTED + dt.timedelta(minutes=2))
    consent = Consent(ConsentStatus.WAITING, messages=(kazakh, russian))
    assert hour_of(consent).start == SUBMITTED + dt.timedelta(minutes=2)


def test_a_later_report_moves_the_start_later_never_earlier():
    recorded = SUBMITTED + dt.timedelta(minutes=10)
    earlier = Consent(ConsentStatus.WAITING, sent_at=recorded, expires_at=recorded + HOUR,
                      messages=(Sms(SUBMITTED, SUBMITTED + dt.timedelta(minutes=5)),))
    assert hour_of(earlier) is None  # the recorded hour stands
    later = Consent(ConsentStatus.WAITING, sent_at=SUBMITTED, expires_at=SUBMITTED + HOUR,
                    messages=(Sms(SUBMITTED, recorded),))
    assert hour_of(later).start == recorded


def test_the_hour_has_not_started_while_the_sms_is_not_out():
    queued = Consent(ConsentStatus.WAITING, messages=(Sms(),))
    assert hour_of(queued) is None
    assert not is_expired(queued, SUBMITTED + dt.timedelta(days=1))


def test_an_answered_request_has_no_hour_to_record():
    consent = Consent(ConsentStatus.CONFIRMED, answered_at=SUBMITTED,
                      messages=(Sms(SUBMITTED),))
    assert hour_of(consent) is None and not is_expired(consent, SUBMITTED + 2 * HOUR)


# --- owners who cannot be reached -----------------------------------------------------------

def test_an_owner_whose_sms_all_failed_rejects_at_once():
    moment = SUBMITTED + dt.timedelta(minutes=20)
    failed = Consent(ConsentStatus.WAITING, messages=(Sms(failed=True), Sms(failed=True)))
    assert decide([failed], SUBMITTED, moment) == Decision(
        AppStatus.REJECTED, Outcome.OWNER_NOT_REACHED, "owner's SMS not delivered", moment)


def test_one_failed_sms_of_two_still_waits_for_the_other():
    half = Consent(ConsentStatus.WAITING, messages=(Sms(failed=True), Sms()))
    assert decide([half], SUBMITTED, SUBMITTED + dt.timedelta(minutes=20)) is None


@pytest.mark.parametrize("after, decision_at", [
    (limits.OWNER_SMS_GIVE_UP - SECOND, None),
    (limits.OWNER_SMS_GIVE_UP, SUBMITTED + limits.OWNER_SMS_GIVE_UP),
    (limits.OWNER_SMS_GIVE_UP * 5, SUBMITTED + limits.OWNER_SMS_GIVE_UP),
])
def test_an_sms_still_not_out_closes_at_the_give_up_time(after, decision_at):
    queued = Consent(ConsentStatus.WAITING, messages=(Sms(),))
    decision = decide([queued], SUBMITTED, SUBMITTED + after)
    assert (decision.at if decision else None) == decision_at
    if decision:
        assert decision.outcome == Outcome.OWNER_NOT_REACHED


def test_no_owners_decide_nothing():
    assert decide([], SUBMITTED, SUBMITTED + HOUR) is None


# --- every mix of answers -------------------------------------------------------------------

MOMENT = SUBMITTED + dt.timedelta(minutes=30)
STATES = {
    # each: the request at MOMENT (30 minutes after submission)
    "agree": received(SUBMITTED, status=ConsentStatus.CONFIRMED,
                      answered_at=SUBMITTED + dt.timedelta(minutes=5)),
    "refuse": received(SUBMITTED, status=ConsentStatus.REFUSED,
                       answered_at=SUBMITTED + dt.timedelta(minutes=9)),
    "waiting": received(SUBMITTED + dt.timedelta(minutes=1)),
    "too_late": received(SUBMITTED - HOUR),  # its hour ended before MOMENT, unanswered
    "undeliverable": Consent(ConsentStatus.WAITING, messages=(Sms(failed=True),)),
    "not_out_yet": Consent(ConsentStatus.WAITING, messages=(Sms(),)),
}


def expected(mix: tuple[str, ...]) -> tuple[str, Outcome | None] | None:
    """The order of the rule: a refusal, else a lapsed hour, else an unreachable owner, else
    everyone agreed."""
    if "refuse" in mix:
        return AppStatus.REJECTED, Outcome.OWNER_REFUSED
    if "too_late" in mix:
        return AppStatus.REJECTED, Outcome.OWNER_TOO_LATE
    if "undeliverable" in mix:
        return AppStatus.REJECTED, Outcome.OWNER_NOT_REACHED
    if all(state == "agree" for state in mix):
        return AppStatus.REGISTERED, None
    return None


MIXES = [mix for owners in (1, 2, 3) for mix in itertools.product(STATES, repeat=owners)]


@pytest.mark.parametrize("mix", MIXES, ids="+".join)
def test_every_mix_of_answers_decides_by_the_rule(mix):
    decision = decide([STATES[s] for s in mix], SUBMITTED, MOMENT)
    assert ((decision.status, decision.outcome) if decision else None) == expected(mix)


@pytest.mark.parametrize("mix", MIXES, ids="+".join)
def test_the_decision_does_not_depend_on_the_owners_order(mix):
    decisions = {decide([STATES[s] for s in order], SUBMITTED, MOMENT)
                 for order in itertools.permutations(mix)}
    assert len(decisions) == 1


# --- the dates of decisions, over random answer times ---------------------------------------

minutes = st.integers(min_value=0, max_value=59 * 60 + 59).map(
    lambda s: dt.timedelta(seconds=s))


@given(st.lists(st.tuples(minutes, minutes), min_size=1, max_size=4))
def test_all_agreeing_registers_at_the_last_confirmation(times):
    consents = [received(SUBMITTED + start, status=ConsentStatus.CONFIRMED,
                         answered_at=SUBMITTED + start + wait) for start, wait in times]
    decision = decide(consents, SUBMITTED, SUBMITTED + 3 * HOUR)
    assert decision.status == AppStatus.REGISTERED
    assert decision.at == max(c.answered_at for c in consents)


@given(st.lists(minutes, min_size=1, max_size=4), st.data())
def test_one_refusal_rejects_at_the_first_refusal(starts, data):
    refusing = data.draw(st.sets(st.sampled_from(range(len(starts))), min_size=1))
    consents = [received(SUBMITTED + start, status=ConsentStatus.REFUSED,
                         answered_at=SUBMITTED + start + SECOND) if i in refusing
                else received(SUBMITTED + start) for i, start in enumerate(starts)]
    decision = decide(consents, SUBMITTED, SUBMITTED + 3 * HOUR)
    assert decision.outcome == Outcome.OWNER_REFUSED  # even where other hours have run out
    assert decision.at == min(consents[i].answered_at for i in refusing)


@given(st.lists(minutes, min_size=1, max_size=4), minutes)
def test_silence_rejects_at_the_end_of_the_first_hour_to_run_out(starts, looked):
    consents = [received(SUBMITTED + start) for start in starts]
    first_end = min(c.expires_at for c in consents)
    decision = decide(consents, SUBMITTED, first_end + looked)
    assert decision.outcome == Outcome.OWNER_TOO_LATE and decision.at == first_end
    assert decide(consents, SUBMITTED, first_end - SECOND) is None
