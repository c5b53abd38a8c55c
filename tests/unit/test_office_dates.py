"""One date style in the office (issue 21, "Office"): portal.i18n.format_day / format_moment,
the `day` and `moment` Jinja filters, in kk, ru and en; a moment is read in Asia/Almaty with the
24-hour time, never "10:00:00 AM" nor a bare ISO date that wraps at its hyphens."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.i18n import format_day, format_moment

UTC = dt.timezone.utc
MOMENT = dt.datetime(2026, 12, 4, 5, 0, tzinfo=UTC)  # 10:00 in Almaty (UTC+5)


@pytest.mark.parametrize(("lang", "day", "moment"), [
    ("kk", "2026\u202fж. 4 жел.", "2026\u202fж. 4 жел., 10:00"),
    ("ru", "4 дек. 2026\u202fг.", "4 дек. 2026\u202fг., 10:00"),
    ("en", "Dec 4, 2026", "Dec 4, 2026, 10:00"),
])  # CLDR keeps "2026 г." together with a narrow no-break space: it never wraps there
def test_one_day_style_and_the_24_hour_time_in_every_language(lang, day, moment):
    assert format_day(dt.date(2026, 12, 4), lang) == day
    assert format_day("2026-12-04", lang) == day  # an ISO date as stored in data
    assert format_day(MOMENT, lang) == day
    assert format_moment(MOMENT, lang) == moment
    assert format_moment("2026-12-04T10:00:00+05:00", lang) == moment


def test_a_moment_late_in_the_utc_day_is_the_next_day_in_almaty():
    late = dt.datetime(2026, 12, 3, 20, 30, tzinfo=UTC)  # 01:30 on 4 December in Almaty
    assert format_day(late, "en") == "Dec 4, 2026"
    assert format_moment(late, "ru") == "4 дек. 2026\u202fг., 01:30"


def test_nothing_to_show_is_empty():
    assert format_day(None, "kk") == "" and format_moment("", "ru") == ""

