"""Each browser test has its own server state: a test that moves the clock, sends SMS and uses
up a rate limit leaves nothing behind for the next one. (The two tests run in file order.)"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.parse
import urllib.request

import sqlalchemy as sa

from portal.core.models import SmsMessage
from tests.support import office_hours

IIN = "850314301209"  # a demo person with a phone


def _count_sms(app) -> int:
    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(SmsMessage))


def _sign_in_posts(base_url: str, times: int) -> list[int]:
    """POST /sign-in without a browser (CSRF off for this check: no form token is needed)."""
    statuses = []
    for _ in range(times):
        data = urllib.parse.urlencode({"iin": IIN}).encode()
        try:
            with urllib.request.urlopen(f"{base_url}/sign-in", data=data) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def test_one_test_moves_the_clock_and_sends_sms(live_server, live_app, live_clock):
    live_app.config["WTF_CSRF_ENABLED"] = False
    _sign_in_posts(live_server, 12)  # codes sent, send caps and per-address limits used up
    assert _count_sms(live_app) >= 1
    live_clock.advance(days=3)


def test_the_next_test_starts_afresh(live_server, live_app, live_clock):
    now = office_hours.now()
    assert abs(live_clock.now() - now) < dt.timedelta(minutes=5)  # not three days on
    assert _count_sms(live_app) == 0
    live_app.config["WTF_CSRF_ENABLED"] = False
    assert _sign_in_posts(live_server, 1) == [200]  # no 429 left over: the code page
    assert _count_sms(live_app) == 1
