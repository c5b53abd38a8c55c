"""Which 30-second step a TOTP code belongs to: the current one and one on either side
(RFC 6238 5.2, pyotp's valid_window=1), exactly at the step edges."""

from __future__ import annotations

import datetime as dt

import pyotp

from portal.housing.office.staff.signin import TOTP_VALID_WINDOW, _matching_step

SECRET = "JBSWY3DPEHPK3PXPUNITUNIT"
TOTP = pyotp.TOTP(SECRET)
# A step boundary: 2026-11-23 06:00:00 UTC is a multiple of 30 s since the epoch.
EDGE = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
STEP = TOTP.timecode(EDGE)


def code(step: int) -> str:
    return TOTP.generate_otp(step)


def test_the_current_and_neighbouring_steps_match_and_say_which():
    assert TOTP_VALID_WINDOW == 1
    assert _matching_step(SECRET, code(STEP), EDGE) == STEP
    assert _matching_step(SECRET, code(STEP - 1), EDGE) == STEP - 1
    assert _matching_step(SECRET, code(STEP + 1), EDGE) == STEP + 1
    assert _matching_step(SECRET, code(STEP - 2), EDGE) is None
    assert _matching_step(SECRET, code(STEP + 2), EDGE) is None


def test_edges_of_a_step_exactly():
    last_second = EDGE - dt.timedelta(seconds=1)  # 05:59:59 is still the step before
    assert _matching_step(SECRET, code(STEP + 1), last_second) is None
    assert _matching_step(SECRET, code(STEP - 2), last_second) == STEP - 2
    assert _matching_step(SECRET, code(STEP + 1), EDGE) == STEP + 1


def test_agrees_with_pyotp_verify():
    for offset in range(-3, 4):
        entered = code(STEP + offset)
        ours = _matching_step(SECRET, entered, EDGE) is not None
        assert ours == TOTP.verify(entered, for_time=EDGE, valid_window=1)


def test_malformed_codes_never_match():
    for entered in ("", "12345", "1234567", "abcdef", None, " 12 34 "):
        assert _matching_step(SECRET, entered, EDGE) is None
    assert _matching_step(SECRET, " " + code(STEP)[:3] + " " + code(STEP)[3:], EDGE) == STEP
