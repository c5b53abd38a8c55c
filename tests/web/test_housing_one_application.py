"""One person, one application in progress on the «Housing provision centre» e-base [002 p.7
sub 1, p.15 sub 1], and notices to the contacts the applicant gave [002 p.16, App.2].

Parallel submissions are released together by a threading.Barrier (SQLite here; PostgreSQL with
PORTAL_TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.clock import now
from portal.core.models import Application, AppStatus, Service, SmsMessage
from portal.core.models.housing import QueueEntry
from portal.core.registries import registries
from portal.core.services import codes
from portal.domain.housing.queue import ListKey
from portal.extensions import db, limiter
from portal.housing.services import documents, housing_queue
from tests.web.helpers import iin, phone_of
from tests.web.housing_helpers import new_housing_draft, submit, walk
from tests.web.test_application_data_races import (
    app_id_of,
    clone,
    fresh,
    run_together,
    signed_drafts,
)

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_p15_sub1_ground_1_counts_a_place_on_our_own_list(app, client):
    """The spouse holds a place on our own list (their own application): ground 1 for the
    applicant, as a place on the akimats' unified e-base would be."""
    facts = registries().housing_facts(iin("large_family"))
    spouse = facts.family[0].person.iin
    held = Application(service=Service.HOUSING, applicant_iin=spouse, subject_iin=spouse,
                       data={}, status=AppStatus.IN_QUEUE, channel="portal", number="H-X-1",
                       submitted_at=now(), status_token="spouse-place")
    db.session.add(held)
    db.session.flush()
    housing_queue.register(held, ListKey("shymkent", "general"), now())
    db.session.commit()
    base = walk(client, "large_family", category="large_families", settlement="shymkent")
    assert submit(client, base, "large_family").status_code == 303
    application = fresh(app_id_of(base))
    assert application.status == AppStatus.PRELIMINARY_REFUSAL
    assert application.data["grounds"] == ["on_unified_base"]


def test_p15_sub1_an_application_in_progress_closes_the_start_and_says_where_one_stands(client):
    base = walk(client, "no_housing")
    late = new_housing_draft(client)  # a draft opened before the submission
    assert submit(client, base, "no_housing").status_code == 303
    number = fresh(app_id_of(base)).number
    page = text_of(client.get("/housing/?lang=en"))
    assert "Where you stand" in page and number in page and "queue number 1" in page
    assert "On the list" in page and f"{base}/done" in page
    assert "Start a new application" not in page
    refused = client.post("/housing/new?lang=en", follow_redirects=True)
    assert "You already have an application for the housing waiting list." in text_of(refused)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 2
    who = client.post(f"{late}/who?lang=en", data={"person": iin("no_housing")})
    assert who.status_code == 200
    assert f"already has an application for the housing waiting list ({number})" in text_of(who)


def test_p15_sub1_a_submitted_application_blocks_a_second_submission(app, client):
    """Under review (not yet on the list) is in progress as well: the second is refused."""
    [(first, code), (second, code2)] = signed_drafts(app, client, "emergency", 2,
                                                     case="emergency")
    assert client.post(f"{first}/submit", data={"code": code}).status_code == 303
    assert fresh(app_id_of(first)).status == AppStatus.UNDER_REVIEW
    response = client.post(f"{second}/submit?lang=ru", data={"code": code2},
                           follow_redirects=True)
    assert "У этого человека уже есть заявление о постановке на учёт" in text_of(response)
    assert fresh(app_id_of(second)).status == AppStatus.DRAFT
    assert fresh(app_id_of(second)).number is None


def test_p15_sub1_thirty_parallel_submissions_of_one_person_make_one_application(
        app, client, monkeypatch):
    # 30 signing codes asked by one person in a minute: their caps are not what this proves.
    monkeypatch.setattr(limiter, "enabled", False)
    monkeypatch.setattr(codes, "CODES_PER_HOUR", 100)
    monkeypatch.setattr(codes, "CODES_PER_ASKER_PER_HOUR", 100)
    monkeypatch.setattr(documents, "UPLOADS_PER_DAY", 100)  # 30 expert's conclusions
    # The emergency case: under review, no place in a list yet, so only the block holds.
    drafts = signed_drafts(app, client, "emergency", 30, case="emergency")
    tabs = [clone(app, client) for _ in drafts]
    statuses = run_together(len(drafts), lambda i: tabs[i].post(
        f"{drafts[i][0]}/submit", data={"code": drafts[i][1]}).status_code)
    assert statuses == [303] * len(drafts)
    states = sorted(fresh(app_id_of(base)).status for base, _ in drafts)
    assert states == sorted([AppStatus.UNDER_REVIEW] + [AppStatus.DRAFT] * 29)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
        Application.number.is_not(None))) == 1


# --- item 10: the contacts the applicant gave ---------------------------------------------

def notices_to(phone: str) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(SmsMessage.body).where(
        SmsMessage.phone == phone, SmsMessage.purpose == "applicant_notice")))


def test_p16_the_decision_goes_to_the_phone_given_in_the_application(client):
    base = walk(client, "no_housing")
    assert client.post(f"{base}/contacts", data={"phone": "+7 701 555 44 33", "email": "",
                                                  "sms": "y"}).status_code == 303
    assert submit(client, base, "no_housing").status_code == 303  # the code: БМГ number
    assert len(notices_to("+77015554433")) == 1
    assert notices_to(phone_of("no_housing")) == []


def test_p16_no_sms_when_the_applicant_opted_out(client):
    base = walk(client, "no_housing")
    assert client.post(f"{base}/contacts", data={"phone": phone_of("no_housing"),
                                                  "email": ""}).status_code == 303
    assert submit(client, base, "no_housing").status_code == 303
    assert fresh(app_id_of(base)).status == AppStatus.IN_QUEUE
    assert notices_to(phone_of("no_housing")) == []


def test_p16_the_office_notice_goes_to_the_updated_contacts(app, client):
    from tests.web.test_application_data_races import staff_client

    base = walk(client, "emergency", case="emergency")
    assert submit(client, base, "emergency").status_code == 303
    assert client.post(f"{base}/update-contacts", data={
        "phone": "+77015550011", "email": "a@example.kz", "sms": "y"}).status_code == 303
    office = staff_client(app)
    assert office.post(f"/office/applications/{app_id_of(base)}/register").status_code == 303
    assert len(notices_to("+77015550011")) == 1
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QueueEntry)) == 1

