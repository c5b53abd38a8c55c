"""The moment the browser tests' servers start at: 11:00 in Almaty on the working day the real
now counts from, whatever the hour the suite runs.

A browser test's server clock used to start at the real now, so the same suite passed at noon
and failed in the evening: after 18:30 or on a day off an application is taken on the next
working day [002 App.1 row 7], and an emergency case was "submitted", not yet "under review".
The shift is computed once per process and applied to everything that stands for "now" in a
browser test (the server's clock, the stand-in NCALayer's signing time), so they agree.
"""

from __future__ import annotations

import datetime as dt

from portal.domain.working_days import ALMATY, accepted_on

MORNING = dt.time(11, 0)


def working_morning(moment: dt.datetime) -> dt.datetime:
    """11:00 Almaty time on the working day an application made at `moment` counts from."""
    return dt.datetime.combine(accepted_on(moment), MORNING, ALMATY).astimezone(dt.UTC)


_REAL_START = dt.datetime.now(dt.UTC)
SHIFT = working_morning(_REAL_START) - _REAL_START


def now() -> dt.datetime:
    """The real now, moved to the working morning (the shift of this process)."""
    return dt.datetime.now(dt.UTC) + SHIFT
