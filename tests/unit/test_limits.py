"""portal/domain/limits.py holds the figures the code uses today: until phase 2 makes the code
read them from there, this test notices when the two drift apart."""

from __future__ import annotations

import datetime as dt

from portal.config import Defaults
from portal.domain import limits
from portal.services import codes, consent, submission


def test_limits_equal_the_settings_in_use():
    assert limits.CODE_LIFETIME_MINUTES == Defaults.SIGN_IN_CODE_MINUTES
    assert limits.SIGN_IN_CODE_LIFETIME == dt.timedelta(minutes=Defaults.SIGN_IN_CODE_MINUTES)
    assert limits.SIGNING_CODE_LIFETIME == limits.SIGN_IN_CODE_LIFETIME
    assert limits.CONSENT_MINUTES == Defaults.CONSENT_MINUTES
    assert limits.CONSENT_PERIOD == dt.timedelta(minutes=Defaults.CONSENT_MINUTES)
    assert limits.CODE_MAX_ATTEMPTS == Defaults.CODE_MAX_ATTEMPTS
    assert limits.CODE_RESEND_AFTER == dt.timedelta(seconds=Defaults.CODE_RESEND_SECONDS)
    assert limits.SMS_MAX_ATTEMPTS == Defaults.SMS_MAX_ATTEMPTS
    assert limits.CITIZEN_SESSION_IDLE == dt.timedelta(
        seconds=Defaults.PERMANENT_SESSION_LIFETIME)
    assert limits.UPLOAD_MAX_BYTES < Defaults.MAX_CONTENT_LENGTH  # a file plus the form
    assert limits.UPLOAD_MAX_BYTES == limits.UPLOAD_MAX_MEGABYTES * 1024 * 1024


def test_limits_equal_the_services_constants():
    assert limits.CODES_PER_PERSON_PER_HOUR == codes.CODES_PER_HOUR
    assert limits.CONSENT_REQUESTS_PER_PHONE_PER_HOUR == consent.OWNER_SMS_PER_HOUR
    assert limits.APPLICATIONS_WITH_CONSENT_PER_APPLICANT_PER_DAY == \
        submission.APPLICATIONS_WITH_CONSENT_PER_DAY


def test_housing_deadlines_as_the_rules_say():
    # [002 p.13, p.16-19]: the figures SPEC.md §2 quotes.
    assert (limits.DECISION_NO_HOUSING_WORKING_DAYS, limits.DECISION_EMERGENCY_WORKING_DAYS,
            limits.DECISION_NOTICE_WORKING_DAYS) == (1, 3, 3)
    assert (limits.HEARING_NOTICE_BEFORE_DEADLINE_WORKING_DAYS,
            limits.HEARING_WITHIN_WORKING_DAYS) == (3, 2)
    assert (limits.COMPLAINT_HEAD_WORKING_DAYS,
            limits.COMPLAINT_QUALITY_AUTHORITY_WORKING_DAYS,
            limits.COMPLAINT_FORWARD_WORKING_DAYS) == (5, 15, 3)
