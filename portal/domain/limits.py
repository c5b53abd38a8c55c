"""Every number the law or our security baseline fixes, named once, with where it comes from.

Sources: [000] citizen guide, [001]/[004] news on the residence service, [002] Order No. 130
(the housing list's Rules), DESIGN.md "Security baseline" ([design]). Each figure exists here
only: portal/config.py Defaults, the services and the domain read it from here, and every text
that mentions one is filled from it (templates see this module as `limits`; a text counting in
hours or minutes asks `hours()` / `minutes()`, which refuse a period the unit cannot say
exactly), so a change of the law is one edit.

Pure: no Flask, no database. Working *hours* and the working-day calendar belong to
portal/domain/working_days.py (CLOSES, holidays, moved days); only the figures of the deadlines
counted in working days are here.
"""

from __future__ import annotations

import datetime as dt

# --- Residence: the owner's consent ---------------------------------------------------------
# "within one hour of receiving the SMS" («хабарлама алынған сәттен бастап») [004][001]
# (portal.domain.consent applies it; texts say it as hours(CONSENT_PERIOD)).
CONSENT_PERIOD = dt.timedelta(hours=1)
# [design] An owner's SMS the provider has not taken this long after submission (or that failed
# for good) closes the application: the applicant must not wait forever, and may apply again.
OWNER_SMS_GIVE_UP = dt.timedelta(hours=2)

# --- One-time SMS codes [design] ------------------------------------------------------------
# Sign-in and signing codes: "short lifetimes (sign-in 5 min ...)" (DESIGN.md security baseline).
# One lifetime for both (config.SIGN_IN_CODE_MINUTES, read by services/codes and the texts).
CODE_LIFETIME = dt.timedelta(minutes=5)
# "at most 5 tries" (DESIGN.md); then the code is dead (codes.is_locked, consent attempts).
CODE_MAX_ATTEMPTS = 5
# A new code no sooner than a minute after the last one (config.CODE_RESEND_SECONDS).
CODE_RESEND_AFTER = dt.timedelta(seconds=60)
# A code killed by wrong tries may be replaced after the same minute (no longer lock: a stranger
# who knows an IIN must not lock its owner out; codes.py's docstring gives the reasoning).
# Codes sent to one person for one purpose within an hour, whoever asks (codes.CODES_PER_HOUR):
# what bounds the SMS one phone gets.
CODES_PER_PERSON_PER_HOUR = 10
# Of those, what one asking session, and one asking address, may ask for within an hour
# (codes.CODES_PER_ASKER_PER_HOUR): a stranger with an IIN cannot use up the holder's codes.
CODES_PER_ASKER_PER_HOUR = 3

# --- SMS caps: "no SMS bombing of owners" [design] ------------------------------------------
# Consent requests one phone may get within an hour (services/consent.OWNER_SMS_PER_HOUR).
CONSENT_REQUESTS_PER_PHONE_PER_HOUR = 3
# Applications needing an owner's consent one applicant may send a day
# (services/submission.APPLICATIONS_WITH_CONSENT_PER_DAY).
APPLICATIONS_WITH_CONSENT_PER_APPLICANT_PER_DAY = 5
# Tries to hand one SMS to the provider before giving up (config.SMS_MAX_ATTEMPTS).
SMS_MAX_ATTEMPTS = 8

# --- Sessions [design] ----------------------------------------------------------------------
CITIZEN_SESSION_IDLE = dt.timedelta(minutes=30)  # config.PERMANENT_SESSION_LIFETIME

# --- Kiosk (self-service zone at a ЦОН) [design] SPEC §3 -------------------------------------
# "idle timeout with a warning, then a full reset": warn after a minute without a touch, and
# erase the visit 30 s later (kiosk.profile.idle_settings; settings KIOSK_IDLE_*_SECONDS may
# override them for a hall or a test).
KIOSK_IDLE_WARN = dt.timedelta(seconds=60)
KIOSK_IDLE_RESET = dt.timedelta(seconds=90)

# --- Uploads ----------------------------------------------------------------------------------
# "PDF, JPG or PNG, at most 5 MB each" [000]; checked by content, not by name (SPEC §2).
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_MEGABYTES = 5  # for texts: "A file may be at most 5 MB"
# [design] Documents are kept in the database, so what one person may store is capped: files one
# application may hold (the conclusion is one or a few scans; objections add a few more) ...
DOCUMENTS_PER_APPLICATION = 10  # services/documents.DOCUMENTS_PER_APPLICATION
# ... and files one person may send within 24 hours, deleted ones included (no upload-delete
# loop): at most 20 x 5 MB = 100 MB a person a day.
UPLOADS_PER_PERSON_PER_DAY = 20  # services/documents.UPLOADS_PER_DAY

# --- Housing list deadlines, in working days [002] -----------------------------------------
# Review time: no dwelling in five years, decided by the system [002 p.13, App.1 row 3].
DECISION_NO_HOUSING_WORKING_DAYS = 1
# Review time: the only dwelling is emergency, a person checks the expert's conclusion
# [002 p.13, App.1 row 4].
DECISION_EMERGENCY_WORKING_DAYS = 3
# The decision is sent no later than three working days from the application [002 p.16].
DECISION_NOTICE_WORKING_DAYS = 3
# Preliminary refusal: the hearing notice goes out at least 3 working days before the service
# deadline, and the hearing takes place within 2 working days of the notice [002 p.17].
HEARING_NOTICE_BEFORE_DEADLINE_WORKING_DAYS = 3
HEARING_WITHIN_WORKING_DAYS = 2
# Complaints [002 p.18–19]: the provider's head answers within 5 working days of registration,
# the authority for the quality of public services within 15; the provider forwards the file
# within 3 working days unless it satisfies the complaint itself.
COMPLAINT_HEAD_WORKING_DAYS = 5
COMPLAINT_QUALITY_AUTHORITY_WORKING_DAYS = 15
COMPLAINT_FORWARD_WORKING_DAYS = 3

# --- Objections and complaints [design] ------------------------------------------------------
# The Rules set no number or length; these keep one application's record (and the officer's
# page) readable and stop a script from filling it. Far above what a person writes.
OBJECTION_MAX_CHARS = 4000  # one objection's text (the form's Length validator)
COMPLAINT_MAX_CHARS = 4000  # one complaint's text
OBJECTIONS_PER_APPLICATION = 5  # before one hearing [002 p.17]
COMPLAINTS_PER_APPLICATION = 10  # to the head and to the quality authority [002 p.18-19]

# --- Housing list eligibility [002 p.7, p.15, App.1 row 9] ---------------------------------
# "In the last five years": no dwelling owned in RK [002 p.7 sub 1], refusal ground 2 (owned
# one) [002 p.15 sub 2] and ground 11 (deliberate worsening of housing conditions)
# [002 App.1 row 9][003 p.12]. The rules using it are portal/domain/housing/eligibility.py and
# grounds.py; the texts that name it are filled from it.
LOOK_BACK_YEARS = 5


# --- Saying a period in a text ----------------------------------------------------------------

def hours(period: dt.timedelta) -> int:
    """The period in whole hours, for a text such as "within 1 hour"; a period that is not a
    whole number of hours raises, so no text ever rounds a legal figure."""
    return _whole(period, dt.timedelta(hours=1))


def minutes(period: dt.timedelta) -> int:
    """The period in whole minutes (raises when it is not one)."""
    return _whole(period, dt.timedelta(minutes=1))


def _whole(period: dt.timedelta, unit: dt.timedelta) -> int:
    count, rest = divmod(period, unit)
    if rest:
        raise ValueError(f"{period} is not a whole number of {unit}")
    return count
