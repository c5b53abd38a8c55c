"""The hearing and the decision after it (SPEC §2 "Preliminary decision and hearing"; [002 p.17],
APPC art. 73), the citizen's side and the office's, on the real database with the controlled
clock: the final decision only after the hearing's time (or a waiver), objections only before
it, the hearing scheduled inside the Rules' window, its notice (date, time, way) on the page and
in the SMS in the reader's language, the minutes, the grounds with their references after a
final refusal, every SMS within three UCS-2 parts, the emergency review surfaced in time.

The system's own preliminary refusal (an application on Monday 23.11.2026 11:00 Almaty) proposes
the hearing on Wednesday 25.11.2026 at 10:00 (deadlines.hearing_plan)."""

from __future__ import annotations

import datetime as dt
import html
import types

import pytest
from babel.dates import format_date
from flask_babel import force_locale

from portal.clock import ALMATY
from portal.core.models import AppStatus
from portal.core.services import sms_texts
from portal.domain.housing import categories
from portal.domain.housing.deadlines import HearingWay
from portal.domain.housing.grounds import Ground
from portal.housing import labels
from portal.housing.office.services import complaints, hearings
from portal.housing.services import documents, housing_sms
from tests.web.helpers import last_sms, phone_of, sign_in
from tests.web.housing_helpers import PDF, _file
from tests.web.office_helpers import staff_sign_in
from tests.web.test_office_decisions import (
    MINUTES,
    file_case,
    fresh,
    staff_client,
    text_of,
)

pytestmark = pytest.mark.usefixtures("seeded")

HEARING = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ALMATY)
SECOND = dt.timedelta(seconds=1)
KEY = "sold_recently"


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def refused_preliminarily(client) -> tuple[str, int]:
    base, app_id = file_case(client, KEY, case="no_housing", settlement="astana")
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    assert dt.datetime.fromisoformat(fresh(app_id).data["hearing_at"]) == HEARING
    return base, app_id


def at(clock, moment: dt.datetime, *clients) -> None:
    """The clock moves; whoever acts signs in again (sessions end meanwhile)."""
    clock.set(moment)
    for client, who in clients:
        if who == "staff":
            if client.get("/office/").status_code != 200:
                staff_sign_in(client)
        elif client.get("/cabinet").status_code != 200:
            sign_in(client, who)


def decide(office, app_id, outcome="refused"):
    return office.post(f"/office/applications/{app_id}/hearing?lang=en", data={
        "outcome": outcome, "motivation": "Sold within five years; no exception applies.",
        **MINUTES})


def objection(client, base, text="The flat was sold to pay for surgery.", **extra):
    return client.post(f"{base}/objection?lang=en", data={
        "text": text, "file": (_file(PDF), "deed.pdf"), **extra},
        content_type="multipart/form-data")


# --- the final decision comes after the hearing ---

def test_the_final_decision_waits_for_the_hearings_time_to_the_second(app, client, clock):
    _base, app_id = refused_preliminarily(client)
    office = staff_client(app, settlements=("astana",))
    listed = text_of(office.get("/office/?kind=hearing&lang=ru"))
    assert "2026-11-25" not in listed and format_date(HEARING.date(), "medium", locale="ru") in \
        listed  # the hearing's day in the reader's format, not ISO
    page = text_of(office.get(f"/office/applications/{app_id}?lang=en"))
    assert "The final decision is taken after the hearing" in page  # why there is no button
    assert f'action="/office/applications/{app_id}/hearing"' not in page
    early = decide(office, app_id)
    assert early.status_code == 303
    assert "its time has not come" in text_of(office.get(early.location))
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL

    at(clock, HEARING - SECOND, (office, "staff"))
    assert decide(office, app_id).status_code == 303
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL

    at(clock, HEARING, (office, "staff"))
    assert f'action="/office/applications/{app_id}/hearing"' in text_of(
        office.get(f"/office/applications/{app_id}?lang=en"))
    assert decide(office, app_id).status_code == 303
    assert fresh(app_id).status == AppStatus.REFUSED


def test_a_waived_hearing_opens_the_final_decision_once_the_objection_is_in(app, client):
    base, app_id = refused_preliminarily(client)
    office = staff_client(app, settlements=("astana",))
    assert objection(client, base, waive="y").status_code == 303
    assert fresh(app_id).data["objections"][0]["waive"] is True
    assert decide(office, app_id, "registered").status_code == 303
    assert fresh(app_id).status == AppStatus.IN_QUEUE


# --- objections only before it ---

@pytest.mark.parametrize("late", [dt.timedelta(0), dt.timedelta(days=10)])
def test_an_objection_after_the_hearings_time_is_refused_with_a_clear_message(app, client, clock,
                                                                              late):
    base, app_id = refused_preliminarily(client)
    at(clock, HEARING - SECOND, (client, KEY))
    assert objection(client, base, "In time.").status_code == 303
    at(clock, HEARING + late, (client, KEY))
    response = objection(client, base, "Too late.")
    assert response.status_code == 200
    assert "The time for objections has ended" in text_of(response)
    assert [o["text"] for o in fresh(app_id).data["objections"]] == ["In time."]
    page = text_of(client.get(f"{base}/objection?lang=en"))
    assert "Send the objection" not in page and "The time for objections has ended" in page


def test_after_a_waiver_no_further_objection_is_taken(app, client):
    base, app_id = refused_preliminarily(client)
    assert objection(client, base, "Decide now.", waive="y").status_code == 303
    assert "The time for objections has ended" in text_of(objection(client, base, "More."))
    assert len(fresh(app_id).data["objections"]) == 1


# --- the notice: date, time and way, in the reader's language ---

@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_notice_gives_the_hearings_date_time_and_way_in_the_readers_language(app, client,
                                                                                lang):
    base, app_id = refused_preliminarily(client)
    page = text_of(client.get(f"{base}/done?lang={lang}"))
    assert format_date(HEARING.date(), "long", locale=lang) in page
    assert "10:00" in page and "2026-11-25" not in page
    with force_locale(lang):
        assert html.escape(labels.hearing_way({}), quote=False) in page
        # The real deadline: the final decision's, 3 working days from Monday (Thursday).
        assert format_date(dt.date(2026, 11, 26), "medium", locale=lang) in page
    sms = last_sms(phone_of(KEY)).body
    sms_lang = fresh(app_id).data.get("lang") or "kk"
    assert format_date(HEARING.date(), housing_sms.SMS_DATE, locale=sms_lang) in sms
    assert "10:00" in sms


def test_the_officer_schedules_the_hearing_in_person_and_the_sms_says_where(app, client, clock):
    clock.set(dt.datetime(2026, 12, 15, 10, 0, tzinfo=ALMATY))  # Tuesday; Wednesday a holiday
    base, app_id = file_case(client)
    office = staff_client(app)
    address = "Astana, Mangilik El 55, room 12"
    response = refuse(office, app_id, "2026-12-18", "17:00", "in_person", address)
    assert response.status_code == 303
    data = fresh(app_id).data
    assert dt.datetime.fromisoformat(data["hearing_at"]) == dt.datetime(2026, 12, 18, 17, 0,
                                                                        tzinfo=ALMATY)
    assert data["hearing_way"] == HearingWay.IN_PERSON and data["hearing_place"] == address
    sms = last_sms(phone_of("emergency")).body
    assert address in sms and "17:00" in sms
    sign_in(client, "emergency")
    assert address in text_of(client.get(f"{base}/done?lang=ru"))


def refuse(office, app_id, day, time, way="online", place=""):
    return office.post(f"/office/applications/{app_id}/preliminary-refusal?lang=en", data={
        "grounds": ["emergency_not_confirmed"], "motivation": "The conclusion is a copy.",
        "hearing_date": day, "hearing_time": time, "way": way, "place": place})


@pytest.mark.parametrize(("day", "time", "message"), [
    ("2026-12-15", "16:00", "after the day of the notice"),  # the notice's own day
    ("2026-12-16", "10:00", "on a working day"),  # Independence Day, inside the window
    ("2026-12-18", "18:30", "on a working day"),  # the second working day, after hours
    ("2026-12-19", "10:00", "after the day of the notice"),  # past the second working day
    ("2026-12-21", "10:00", "after the day of the notice"),
])
def test_a_hearing_outside_the_rules_window_is_refused_with_the_reason(app, client, clock, day,
                                                                       time, message):
    """[002 p.17]: the hearing no later than 2 working days after the notice; a notice on
    Tuesday 15.12.2026 counts Thursday and Friday (Wednesday 16.12 is a holiday)."""
    clock.set(dt.datetime(2026, 12, 15, 10, 0, tzinfo=ALMATY))
    _base, app_id = file_case(client)
    office = staff_client(app)
    response = refuse(office, app_id, day, time)
    assert response.status_code == 303
    assert message in text_of(office.get(response.location))
    assert fresh(app_id).status == AppStatus.UNDER_REVIEW


def test_a_hearing_by_phone_or_in_person_needs_the_offices_phone_or_address(app, client):
    _base, app_id = file_case(client)
    office = staff_client(app)
    response = refuse(office, app_id, "", "", "phone", "")
    assert "(in person) or phone (by phone)" in text_of(office.get(response.location))
    assert fresh(app_id).status == AppStatus.UNDER_REVIEW


# --- the minutes, the grounds after a final refusal ---

def test_the_hearing_records_its_minutes_and_the_files_read(app, client, clock):
    base, app_id = refused_preliminarily(client)
    assert objection(client, base).status_code == 303
    office = staff_client(app, settlements=("astana",))
    at(clock, HEARING, (office, "staff"), (client, KEY))
    page = text_of(office.get(f"/office/applications/{app_id}?lang=en"))
    assert "deed.pdf" in page and "Who took part in the hearing" in page
    url = f"/office/applications/{app_id}/hearing?lang=en"
    bare = office.post(url, data={"outcome": "registered"})
    assert bare.status_code == 422 and "Write who took part in the hearing" in text_of(bare)
    file_id = _objection_file_id(app_id)
    assert office.post(url, data={"outcome": "registered", **MINUTES,
                                  "files_read": [str(file_id)]}).status_code == 303
    minutes = fresh(app_id).data["hearing"]["minutes"]
    assert minutes["participants"] == MINUTES["participants"]
    assert minutes["statement"] == MINUTES["statement"] and minutes["files_read"] == [file_id]


def _objection_file_id(app_id: int) -> int:

    [document] = [d for d in documents.documents_of(fresh(app_id)) if d.kind == "objection"]
    return document.id


def test_a_final_refusal_names_its_grounds_with_references_in_kazakh(app, client, clock):
    base, app_id = refused_preliminarily(client)
    office = staff_client(app, settlements=("astana",))
    at(clock, HEARING, (office, "staff"), (client, KEY))
    assert decide(office, app_id).status_code == 303
    assert fresh(app_id).status == AppStatus.REFUSED
    page = text_of(client.get(f"{base}/done?lang=kk"))
    grounds = [Ground(g) for g in fresh(app_id).data["grounds"]]
    assert grounds
    with force_locale("kk"):
        for ground in grounds:
            assert html.escape(str(labels.GROUND_NAMES[ground]), quote=False) in page
            assert html.escape(str(labels.GROUND_REFERENCES[ground]), quote=False) in page
    sms = last_sms(phone_of(KEY)).body
    assert "5" in sms and "15" in sms


# --- SMS: what to do and by when, within three parts ---

def _worst_values(way: HearingWay, list_code: str) -> dict:
    application = types.SimpleNamespace(
        number="H-2026-000123", status_token="AbCdEfGhIjKlMnOpQrStUv",
        data={"hearing_at": "2026-09-30T18:29:00+05:00", "hearing_way": way.value,
              "hearing_place": "Ш" * hearings.MAX_PLACE, "decision_due": "2026-09-30",
              "queue_number": 1234567, "list_code": list_code})
    return housing_sms.values(application)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_housing_decision_sms_fits_three_ucs2_parts(app, lang):
    texts = [*housing_sms.DECISIONS.values(), housing_sms.REFUSED,
             complaints.SMS_COMPLAINT_ANSWERED]
    with app.test_request_context():
        for way in HearingWay:
            for code in ("general", *(c.code for c in categories.CATEGORIES)):
                values = _worst_values(way, code)
                for text in texts:
                    body = text.render(lang, **values)
                    assert sms_texts.parts(body) <= sms_texts.MAX_PARTS, (lang, len(body), body)
                    assert body != text.render("en", **values)
        preliminary = housing_sms.DECISIONS[AppStatus.PRELIMINARY_REFUSAL].render(
            lang, **_worst_values(HearingWay.ONLINE, "general"))
        assert format_date(dt.date(2026, 9, 30), housing_sms.SMS_DATE, locale=lang) in preliminary
        assert "18:29" in preliminary
        registered = housing_sms.DECISIONS[AppStatus.IN_QUEUE].render(
            lang, **_worst_values(HearingWay.ONLINE, "pensioners"))
        assert "1234567" in registered and categories.category("pensioners").name(lang) in \
            registered
        review = housing_sms.DECISIONS[AppStatus.UNDER_REVIEW].render(
            lang, **_worst_values(HearingWay.ONLINE, "general"))
        assert format_date(dt.date(2026, 9, 30), housing_sms.SMS_DATE, locale=lang) in review


def test_the_registered_sms_names_the_list_and_the_number(app, client):
    _base, app_id = file_case(client)  # emergency: the office registers
    office = staff_client(app)
    assert office.post(f"/office/applications/{app_id}/register").status_code == 303
    number = fresh(app_id).data["queue_number"]
    assert f" {number}." in last_sms(phone_of("emergency")).body


def test_the_under_review_sms_says_by_when(app, client):
    _base, app_id = file_case(client)  # Monday 23.11.2026: due Thursday 26.11
    body = last_sms(phone_of("emergency")).body
    lang = fresh(app_id).data.get("lang") or "kk"
    assert format_date(dt.date(2026, 11, 26), housing_sms.SMS_DATE, locale=lang) in body


# --- the work list: an emergency review while a refusal can still be on time ---

def test_the_work_list_says_until_when_a_preliminary_refusal_is_in_time(app, client, clock):
    """Filed Monday 14.12.2026 11:00: the deadline is Friday 18.12 (Wednesday is a holiday), so
    a preliminary refusal must go on Monday itself, 3 working days before it [002 p.17]."""
    clock.set(dt.datetime(2026, 12, 14, 11, 0, tzinfo=ALMATY))
    _base, app_id = file_case(client)
    office = staff_client(app)
    row = text_of(office.get("/office/?lang=en")).split(fresh(app_id).number + "</a>")[1]
    assert "A preliminary refusal, if any, must go by Dec 14, 2026" in row.split("</tr>")[0]
    at(clock, dt.datetime(2026, 12, 14, 18, 29, 59, tzinfo=ALMATY), (office, "staff"))
    assert hearings.proposed_hearing(fresh(app_id)).notice_in_time
    at(clock, dt.datetime(2026, 12, 15, 9, 0, tzinfo=ALMATY), (office, "staff"))
    row = text_of(office.get("/office/?lang=en")).split(fresh(app_id).number + "</a>")[1]
    assert "Too late for a preliminary refusal in time: it had to go by Dec 14, 2026, 3 " \
           "working days before the deadline Dec 18, 2026." in row.split("</tr>")[0]
