"""A list member's own page (issue 22 part 2, portal.domain.housing.membership): the place, its
total, list, date and status; the place over time as inline SVG with its text equivalent; the
consent signed by SMS code (a consent suspension ends at once, the notice queued) or withdrawn
(suspended); the data confirmed or changed (the re-check started); the akimat's number; the
public look-up without personal data."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.core.models import Application, PlaceSnapshot, QueueEntry, SmsMessage
from portal.domain.housing.membership import PlaceAt, restored_by_consent, snapshot_needed
from portal.extensions import db
from portal.housing.services import housing_queue, member
from tests.web.helpers import code_in, iin, last_sms, phone_of, sign_in

pytestmark = pytest.mark.usefixtures("seeded", "members")


@pytest.fixture
def members(seeded):
    from demo_registries.members import seed_members

    assert seed_members() == 3


def application_of(key: str) -> Application:
    return db.session.scalars(sa.select(Application).where(
        Application.applicant_iin == iin(key), Application.channel == "akimat")).one()


def entry_of(key: str) -> QueueEntry:
    db.session.expire_all()
    return housing_queue.entry_of(application_of(key))


def page_of(client, key: str) -> tuple[str, str]:
    sign_in(client, key)
    url = f"/housing/{application_of(key).id}/member"
    response = client.get(url)
    assert response.status_code == 200
    return url, response.get_data(as_text=True)


def sign_consent(client, url: str, key: str):
    assert client.post(f"{url}/consent/send").status_code == 303
    code = code_in(last_sms(phone_of(key)))
    return client.post(f"{url}/consent", data={"code": code})


def test_the_page_gives_the_place_the_total_the_list_the_date_and_the_status(client):
    key = "akimat_member_consented"
    entry = entry_of(key)
    place = housing_queue.place_of(entry)
    _, page = page_of(client, key)
    assert place.position == 26 and place.total == 56  # 25 ahead, 30 behind
    shown = re.search(r'id="place"><strong>([^<]*)</strong>', page).group(1)
    assert sorted(re.findall(r"\d+", shown)) == ["26", "56"]
    assert "Karaganda" in page or "Қарағанды" in page
    assert "Мемлекеттік қызметшілер" in page  # the list (category), in kk
    assert "2010" in page  # the date it counts from: the akimat's
    assert 'id="entry-status">' in page


def test_a_suspended_entry_says_why(client):
    _, page = page_of(client, "akimat_member")
    status = re.search(r'id="entry-status">([^<]*)<', page).group(1)
    assert ":" in status and "келісім" in status.lower()  # suspended: the consent not given


def test_the_chart_is_an_svg_with_its_points_and_a_text_equivalent(client):
    key = "akimat_member_consented"
    history = member.history_of(entry_of(key))
    _, page = page_of(client, key)
    svg = re.search(r"<svg class=\"place-chart\".*?</svg>", page, re.S).group(0)
    assert len(re.findall(r"<circle ", svg)) == len(history) == 12
    assert "<polyline" in svg and "<title id=\"chart-title\">" in svg and "<desc" in svg
    table = re.search(r'<div class="vh"><table>.*?</table>', page, re.S).group(0)
    assert table.count("<tr>") == len(history) + 1
    assert re.search(rf"\b{history[0].position}\b", table) and "<script" not in svg


def test_the_consent_signed_makes_the_entry_active_at_once_and_a_notice_is_queued(client):
    key = "akimat_member"
    assert entry_of(key).status == "suspended"
    url, _ = page_of(client, key)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(SmsMessage))
    response = sign_consent(client, url, key)
    assert response.status_code == 303
    entry = entry_of(key)
    application = application_of(key)
    assert entry.status == "active" and application.data["personal_data_consent"] is True
    assert application.data["entry_state"]["move"] == "restore"
    assert any(s.purpose == "pd_consent_1" for s in application.signatures)
    notices = db.session.scalars(sa.select(SmsMessage).order_by(SmsMessage.id)
                                 .offset(before)).all()
    assert any("H-2025-" in s.body and s.phone == "+77470001122" for s in notices)
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'id="place"><strong>\d+ ', page)
    assert member.history_of(entry)[-1].status == "active"  # the moment kept


def test_the_consent_withdrawn_suspends_the_entry(client):
    key = "akimat_member_consented"
    url, _ = page_of(client, key)
    assert client.post(f"{url}/consent/withdraw").status_code == 303
    entry = entry_of(key)
    application = application_of(key)
    assert entry.status == "suspended"
    assert application.data["entry_state"]["reason"] == "consent_withdrawn"
    assert application.data["personal_data_consent"] is False
    assert "H-2025-" in last_sms("+77054412241").body
    sign_consent(client, url, key)  # and given again: active again
    assert entry_of(key).status == "active"


def test_a_withdrawal_leaves_an_entry_suspended_for_another_reason_as_it_is():
    assert not restored_by_consent("suspended", "data_not_confirmed")
    assert restored_by_consent("suspended", "consent_withdrawn")
    assert restored_by_consent("suspended", "consent_missing")
    assert not restored_by_consent("active", "consent_missing")


def test_this_is_right_is_recorded_with_the_date(client, clock):
    key = "akimat_member_consented"
    url, _ = page_of(client, key)
    assert client.post(f"{url}/confirm/family").status_code == 303
    checks = application_of(key).data["member_checks"]
    assert checks == {"family": {"confirmed_on": "2026-11-23"}}
    assert "You confirmed it on November 23, 2026." in client.get(f"{url}?lang=en").get_data(
        as_text=True)
    assert client.post(f"{url}/confirm/nonsense").status_code == 404


def test_a_phone_change_is_recorded_and_starts_the_recheck(client):
    key = "akimat_member"
    url, _ = page_of(client, key)
    response = client.post(f"{url}/phone", data={"phone": "8 701 999 88 77"})
    assert response.status_code == 303
    data = application_of(key).data
    assert data["phone"] == "+77019998877"
    assert data["member_checks"]["phone"] == {"changed_on": "2026-11-23"}
    assert application_of(key).number in last_sms("+77019998877").body  # told at the new one
    assert data["recheck"]["cause"] == "phone" and not data["recheck"].get("resolved_at")
    from portal.domain.housing.office import open_recheck

    assert open_recheck(application_of(key).status, data) is not None  # on the office's list


def test_a_wrong_phone_is_refused_with_the_reason(client):
    url, _ = page_of(client, "akimat_member")
    page = client.post(f"{url}/phone", data={"phone": "12345"}).get_data(as_text=True)
    assert "error" in page and "+77470001122" == application_of("akimat_member").data["phone"]


def test_the_akimats_number_and_date_are_beside_the_new_place(client):
    _, page = page_of(client, "akimat_member")
    akimat = re.search(r'id="akimat">([^<]*)<', page).group(1)
    assert "3187" in akimat and "2012" in akimat


def test_the_cabinet_and_the_application_link_to_the_page(client):
    key = "akimat_member"
    sign_in(client, key)
    url = f"/housing/{application_of(key).id}/member"
    assert url in client.get("/cabinet").get_data(as_text=True)
    assert url in client.get(f"/housing/{application_of(key).id}/done").get_data(as_text=True)


def test_another_citizens_page_is_not_found(client):
    sign_in(client, "akimat_member")
    other = application_of("akimat_member_consented")
    assert client.get(f"/housing/{other.id}/member").status_code == 404


def test_the_public_lookup_by_number_shows_no_personal_data(client):
    entry = entry_of("akimat_member_consented")
    page = client.get(f"/queue?settlement={entry.settlement_code}&list_code={entry.list_code}"
                      f"&number={entry.number}").get_data(as_text=True)
    assert str(entry.number) in page
    for personal in ("Бекмұхамбетова", "Сәуле", iin("akimat_member_consented"), "918",
                     "+77054412241"):
        assert personal not in page


def test_the_job_keeps_a_place_only_when_it_moved(app, clock, runner):
    entry = entry_of("akimat_member_consented")
    count = lambda: db.session.scalar(sa.select(sa.func.count()).select_from(PlaceSnapshot)  # noqa: E731
                                      .where(PlaceSnapshot.entry_id == entry.id))
    before = count()
    assert member.snapshot_places() >= 1  # today's place differs from last month's
    assert count() == before + 1
    assert member.snapshot_places() == 0  # the same day: nothing
    clock.advance(days=1)
    assert member.snapshot_places() == 0  # nothing moved
    assert "places kept: 0" in runner.invoke(args=["jobs", "run"]).output


def test_snapshot_needed_edges():
    import datetime as dt

    day = dt.date(2026, 11, 23)
    last = PlaceAt(day - dt.timedelta(days=1), 5, 10, "active")
    assert snapshot_needed(None, 5, 10, "active", day)
    assert not snapshot_needed(last, 5, 10, "active", day)
    assert snapshot_needed(last, 4, 10, "active", day)
    assert snapshot_needed(last, None, 10, "suspended", day)
    assert not snapshot_needed(PlaceAt(day, 5, 10, "active"), 4, 10, "active", day)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_member_pages_in_every_language(app, lang):
    from tests.web.crawl import member_pages
    from tests.web.pages import check_page

    client, urls = member_pages(app)
    for url in urls:
        response = client.get(f"{url}?lang={lang}")
        assert response.status_code == 200, url
        check_page(response, lang)


def test_the_office_sees_the_members_change_and_closes_the_recheck(app, client):
    from tests.web.test_office_decisions import staff_client

    key = "akimat_member"
    url, _ = page_of(client, key)
    client.post(f"{url}/phone", data={"phone": "+77019998877"})
    application = application_of(key)
    office = staff_client(app, settlements=(application.data["settlement"],))
    page = office.get(f"/office/applications/{application.id}?lang=en").get_data(as_text=True)
    assert "The member changed their data on their own page (Phone)" in page
    response = office.post(f"/office/applications/{application.id}/recheck/close",
                           data={"recheck-motivation": "The phone is no ground."})
    assert response.status_code == 303
    assert application_of(key).data["recheck"]["outcome"] == "no_ground"


def test_a_second_consent_or_withdrawal_changes_nothing(client):
    key = "akimat_member_consented"
    url, _ = page_of(client, key)
    sent = db.session.scalar(sa.select(sa.func.count()).select_from(SmsMessage))
    page = client.post(f"{url}/consent/send?lang=en", follow_redirects=True).get_data(
        as_text=True)
    assert "Your consent is already signed." in page  # no code sent for nothing to sign
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsMessage)) == sent
    assert client.post(f"{url}/consent/withdraw").status_code == 303
    page = client.post(f"{url}/consent/withdraw?lang=en", follow_redirects=True).get_data(
        as_text=True)
    assert "There is no signed consent to withdraw." in page
    history = application_of(key).data["entry_history"]
    assert [m["move"] for m in history] == ["suspend"]


def test_flask_demo_seed_adds_the_members_once(runner):
    first = runner.invoke(args=["demo", "seed"]).output
    again = runner.invoke(args=["demo", "seed"]).output
    assert "list members moved" in first and "+0" in again.split("list members moved")[1]


def test_parallel_consents_and_withdrawals_leave_one_consistent_state(app, client):
    """Eight tabs at once: four sign the consent with the same code, four withdraw it; the entry
    and the application's data agree at the end, and the code signed at most once."""
    from tests.web.test_application_data_races import clone, run_together

    key = "akimat_member"
    url, _ = page_of(client, key)
    assert client.post(f"{url}/consent/send").status_code == 303
    code = code_in(last_sms(phone_of(key)))
    tabs = [clone(app, client) for _ in range(8)]

    def work(i):
        if i % 2:
            return tabs[i].post(f"{url}/consent/withdraw").status_code
        return tabs[i].post(f"{url}/consent", data={"code": code}).status_code

    assert set(run_together(8, work)) <= {200, 302, 303}  # 302: the code was used already
    application, entry = application_of(key), entry_of(key)
    consent = application.data["personal_data_consent"]
    assert sum(s.purpose.startswith("pd_consent") for s in application.signatures) == 1
    assert entry.status == ("active" if consent else "suspended")
    assert application.data["entry_state"]["status"] == entry.status
