"""SMS texts of the housing waiting list, from the catalogues, in the applicant's language (the
language of the request that submitted the application). Each says what to do and by when
(registered: the list and the number; preliminary refusal: the hearing's date, time and way
[002 p.17]; refused: how to complain and in how many working days it is answered [002 p.18];
under review: by when), within three UCS-2 parts in kk and ru (tests/unit/test_housing_sms.py).
The language is handed down by the route.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time
from flask_babel import lazy_gettext as _l

from portal.clock import ALMATY
from portal.core.models import Application, AppStatus
from portal.core.services import notices
from portal.core.services.sms_texts import Localized, SmsText
from portal.domain import limits
from portal.domain.housing import categories
from portal.domain.housing.deadlines import HearingWay

SIGN = SmsText(_l(
    "Mekenjai: the code to sign your housing list application is %(code)s. Do not tell anyone "
    "this code."))

DECISIONS = {
    AppStatus.IN_QUEUE: SmsText(_l(
        "Mekenjai: application %(number)s: you are on the housing list \"%(list)s\", number "
        "%(queue_number)s. %(link)s")),
    AppStatus.PRELIMINARY_REFUSAL: SmsText(_l(
        "Mekenjai: application %(number)s: a preliminary refusal. Hearing %(date)s at %(time)s, "
        "%(way)s. %(link)s")),
    AppStatus.UNDER_REVIEW: SmsText(_l(
        "Mekenjai: application %(number)s is received; an officer decides by %(due)s. "
        "%(link)s")),
}

REFUSED = SmsText(_l(
    "Mekenjai: application %(number)s: refused after the hearing. Complain on its page to the "
    "provider's head (%(head)s working days) or the quality authority (%(authority)s): "
    "%(link)s"))

# The hearing's way as an SMS says it (short: the page says it in full).
WAYS = {
    HearingWay.ONLINE: _l("online: object on the page before it"),
    HearingWay.PHONE: _l("by phone, %(place)s"),
    HearingWay.IN_PERSON: _l("at %(place)s"),
}

GENERAL_LIST = _l("General list")
SMS_DATE = "d MMMM"  # "25 November": the year is this one or the next, never ambiguous here


def _date(value: dt.date | None) -> Localized:
    return Localized(lambda lang: format_date(value, SMS_DATE, locale=lang) if value else "")


def _list_name(code: str | None) -> Localized:
    def name(lang: str) -> str:
        if not code or code == "general":
            return str(GENERAL_LIST)
        try:
            return categories.category(code).name(lang)
        except KeyError:
            return code
    return Localized(name)


def values(application: Application) -> dict:
    """Everything the decision texts name, for this application as it is now."""
    data = application.data or {}
    hearing_at = dt.datetime.fromisoformat(data["hearing_at"]) if data.get("hearing_at") \
        else None
    way = HearingWay(data.get("hearing_way") or HearingWay.ONLINE)
    place = data.get("hearing_place") or ""
    due = data.get("decision_due")
    return {
        "number": application.number, "link": notices.status_url(application),
        "queue_number": data.get("queue_number", ""), "list": _list_name(data.get("list_code")),
        "date": _date(hearing_at.astimezone(ALMATY).date() if hearing_at else None),
        "time": Localized(lambda lang: format_time(hearing_at, "HH:mm", tzinfo=ALMATY, locale=lang)
                          if hearing_at else ""),
        "way": Localized(lambda _lang: str(WAYS[way]) % {"place": place}),
        "due": _date(dt.date.fromisoformat(due) if due else None),
        "head": limits.COMPLAINT_HEAD_WORKING_DAYS,
        "authority": limits.COMPLAINT_QUALITY_AUTHORITY_WORKING_DAYS,
    }
