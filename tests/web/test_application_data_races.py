"""What lives in an application's JSON data is never lost to a parallel writer, and one person
holds one place in a list (SQLite here; PostgreSQL with PORTAL_TEST_DATABASE_URL).

Writers are released together by a threading.Barrier: 30 complaints at once, complaints while
the office registers, 5 submissions and 5 registrations of one person in parallel and in
sequence."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.clock import now
from portal.core.models import Application, AppStatus, StatusEvent
from portal.core.models.housing import QueueEntry
from portal.domain import limits
from portal.extensions import db as _db
from tests.support.threads import clone, run_together
from tests.web.helpers import code_in, iin, last_sms, phone_of, sign_in
from tests.web.housing_helpers import submit, walk
from tests.web.office_helpers import make_staff, staff_sign_in

pytestmark = pytest.mark.usefixtures("seeded")

WRITERS = 30


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


@pytest.fixture(autouse=True)
def room_for_every_writer(request, monkeypatch):
    """Every writer here must be kept, so the caps on complaints and objections (their own test
    is test_the_complaint_cap_holds_under_parallel_complaints) leave room for all of them."""
    if not request.node.name.startswith("test_the_complaint_cap"):
        monkeypatch.setattr(limits, "COMPLAINTS_PER_APPLICATION", 2 * WRITERS)
        monkeypatch.setattr(limits, "OBJECTIONS_PER_APPLICATION", 2 * WRITERS)




def fresh(app_id: int) -> Application:
    _db.session.expire_all()
    return _db.session.get(Application, app_id)


def app_id_of(base: str) -> int:
    return int(base.rsplit("/", 1)[1])


def events(app_id: int, note_starts: str) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(StatusEvent).where(
        StatusEvent.application_id == app_id, StatusEvent.note.startswith(note_starts)))


def entries_of(person: str) -> list[QueueEntry]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(QueueEntry).join(
        Application, Application.id == QueueEntry.application_id).where(
        Application.subject_iin == person)))


def staff_client(app, login="officer1", settlements=("karaganda",), role="officer"):
    make_staff(login=login, role=role, settlements=settlements)
    client = app.test_client()
    staff_sign_in(client, login=login)
    return client


def complaint(i: int) -> dict:
    # "action": what a preliminary refusal and an application under review can be complained
    # about (an entry on the list has nothing to complain about, portal.domain.housing.office).
    return {"body": "provider_head" if i % 2 else "quality_authority", "subject": "action",
            "text": f"complaint {i}"}


def refused_preliminarily(client) -> tuple[str, int]:
    base = walk(client, "sold_recently", settlement="astana")
    assert submit(client, base, "sold_recently").status_code == 303
    app_id = app_id_of(base)
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    return base, app_id


# --- item 3: every change to the application's data is kept ------------------------------------

def test_thirty_parallel_complaints_are_all_kept(app, client):
    base, app_id = refused_preliminarily(client)
    hearing_at = fresh(app_id).data["hearing_at"]
    tabs = [clone(app, client) for _ in range(WRITERS)]
    statuses = run_together(WRITERS, lambda i: tabs[i].post(
        f"{base}/complaint", data=complaint(i)).status_code)
    assert statuses == [303] * WRITERS
    application = fresh(app_id)
    kept = sorted(c["text"] for c in application.data["complaints"])
    assert kept == sorted(f"complaint {i}" for i in range(WRITERS))
    assert events(app_id, "complaint to ") == WRITERS
    # Nor did a complaint undo the decision kept in the same data.
    assert application.status == AppStatus.PRELIMINARY_REFUSAL
    assert application.data["hearing_at"] == hearing_at and application.data["grounds"]


def test_the_complaint_cap_holds_under_parallel_complaints(app, client):
    """30 complaints at once against the cap: exactly the cap is kept, the rest are told why."""
    base, app_id = refused_preliminarily(client)
    tabs = [clone(app, client) for _ in range(WRITERS)]
    statuses = run_together(WRITERS, lambda i: tabs[i].post(
        f"{base}/complaint", data=complaint(i)).status_code)
    cap = limits.COMPLAINTS_PER_APPLICATION
    assert sorted(statuses) == [200] * (WRITERS - cap) + [303] * cap  # 200: the form, with why
    assert len(fresh(app_id).data["complaints"]) == cap
    assert events(app_id, "complaint to ") == cap


def test_complaints_sent_while_the_office_registers_are_all_kept(app, client):
    base = walk(client, "emergency", case="emergency")
    assert submit(client, base, "emergency").status_code == 303
    app_id = app_id_of(base)
    assert fresh(app_id).status == AppStatus.UNDER_REVIEW
    office = staff_client(app)
    tabs = [clone(app, client) for _ in range(WRITERS - 1)]

    def work(i):
        if i == 0:
            return office.post(f"/office/applications/{app_id}/register").status_code
        return tabs[i - 1].post(f"{base}/complaint", data=complaint(i)).status_code

    statuses = run_together(WRITERS, work)
    assert statuses[0] == 303 and set(statuses[1:]) <= {200, 303}
    application = fresh(app_id)
    assert application.status == AppStatus.IN_QUEUE
    [entry] = entries_of(iin("emergency"))
    assert application.data["queue_number"] == entry.number
    assert application.data["list_code"] == entry.list_code
    # Every complaint registered before the registration is kept; one that came after it was
    # told the entry has nothing to complain about (200, the form with why), and none is lost.
    sent = [f"complaint {i}" for i in range(1, WRITERS) if statuses[i] == 303]
    kept = sorted(c["text"] for c in application.data.get("complaints", []))
    assert kept == sorted(sent)
    assert events(app_id, "complaint to ") == len(sent)


def test_parallel_contact_changes_and_complaints_keep_each_other(app, client):
    """Two kinds of change to the same data at once: each keeps what the other wrote."""
    base, app_id = refused_preliminarily(client)
    tabs = [clone(app, client) for _ in range(WRITERS)]

    def work(i):
        if i == 0:
            return tabs[i].post(f"{base}/update-contacts", data={
                "phone": "+77010000099", "email": "new@example.kz", "sms": "y"}).status_code
        return tabs[i].post(f"{base}/complaint", data=complaint(i)).status_code

    assert run_together(WRITERS, work) == [303] * WRITERS
    data = fresh(app_id).data
    assert data["phone"] == "+77010000099" and data["email"] == "new@example.kz"
    assert len(data["complaints"]) == WRITERS - 1


def test_parallel_objections_and_complaints_before_the_hearing_are_all_kept(app, client):
    base = walk(client, "sold_recently", settlement="astana")
    assert submit(client, base, "sold_recently").status_code == 303
    app_id = app_id_of(base)
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    tabs = [clone(app, client) for _ in range(WRITERS)]

    def work(i):
        if i % 2:
            return tabs[i].post(f"{base}/complaint", data=complaint(i)).status_code
        return tabs[i].post(f"{base}/objection", data={"text": f"objection {i}"}).status_code

    assert run_together(WRITERS, work) == [303] * WRITERS
    data = fresh(app_id).data
    assert sorted(o["text"] for o in data["objections"]) == sorted(
        f"objection {i}" for i in range(0, WRITERS, 2))
    assert sorted(c["text"] for c in data["complaints"]) == sorted(
        f"complaint {i}" for i in range(1, WRITERS, 2))
    assert data["hearing_at"] and data["grounds"]  # the decision's data is still there
    assert events(app_id, "objection sent") == WRITERS // 2


def test_parallel_family_changes_on_the_list_are_all_kept(app, client):
    base = walk(client, "large_family", category="large_families", settlement="shymkent")
    assert submit(client, base, "large_family").status_code == 303
    app_id = app_id_of(base)
    family = fresh(app_id).data["family"]
    listed = {m["iin"] for m in family} | {iin("large_family")}
    others = [p for p in ("no_housing", "orphan", "kandas", "in_queue", "emergency", "guardian",
                          "foreigner", "worsened", "privatised", "on_base")
              if iin(p) not in listed]
    leaving = family[0]["iin"]
    tabs = [clone(app, client) for _ in range(len(others) + 1)]

    def work(i):
        if i == len(others):
            return tabs[i].post(f"{base}/update-family", data={
                "action": "remove", "iin": leaving}).status_code
        return tabs[i].post(f"{base}/update-family", data={
            "action": "add", "iin": iin(others[i]), "relation": "other"}).status_code

    assert run_together(len(tabs), work) == [303] * len(tabs)
    now_listed = {m["iin"] for m in fresh(app_id).data["family"]}
    assert now_listed == {m["iin"] for m in family[1:]} | {iin(p) for p in others}
    assert events(app_id, "family member added") == len(others)
    assert events(app_id, "family member removed") == 1


def test_a_withdrawal_among_parallel_complaints_keeps_both(app, client):
    base, app_id = refused_preliminarily(client)
    tabs = [clone(app, client) for _ in range(WRITERS)]

    def work(i):
        if i == 0:
            return tabs[i].post(f"{base}/withdraw").status_code
        return tabs[i].post(f"{base}/complaint", data=complaint(i)).status_code

    statuses = run_together(WRITERS, work)
    assert statuses[0] == 303 and set(statuses[1:]) <= {200, 303}
    application = fresh(app_id)
    assert application.status == AppStatus.WITHDRAWN
    # Complaints before the withdrawal are kept; after it there is nothing to complain about.
    assert len(application.data.get("complaints", [])) == statuses[1:].count(303)
    # Every event after the withdrawal says so: none records the status it read before.
    history = [e.status for e in application.events]
    assert AppStatus.PRELIMINARY_REFUSAL not in history[history.index(AppStatus.WITHDRAWN):]


# --- item 4: one person, one place in a list --------------------------------------------------

def signed_drafts(app, client, key: str, count: int, **answers) -> list[tuple[str, str]]:
    """`count` drafts of the same person, each with its signing code sent: (base, code)."""
    sign_in(client, key)
    drafts = []
    for _ in range(count):
        base = walk(client, key, signed_in=True, **answers)
        assert client.post(f"{base}/send-code").status_code == 303
        drafts.append((base, code_in(last_sms(phone_of(key)))))
    return drafts


def assert_one_place_and_the_rest_drafts(key: str, drafts) -> None:
    states = sorted(fresh(app_id_of(base)).status for base, _ in drafts)
    assert states == sorted([AppStatus.IN_QUEUE] + [AppStatus.DRAFT] * (len(drafts) - 1))
    [entry] = entries_of(iin(key))
    assert entry.person_iin == iin(key) and entry.number == 1
    drafts_left = [fresh(app_id_of(base)) for base, _ in drafts]
    assert all(a.number is None and "queue_number" not in a.data
               for a in drafts_left if a.status == AppStatus.DRAFT)


def test_five_parallel_submissions_of_one_person_keep_one_place(app, client):
    drafts = signed_drafts(app, client, "no_housing", 5)
    tabs = [clone(app, client) for _ in drafts]
    statuses = run_together(5, lambda i: tabs[i].post(
        f"{drafts[i][0]}/submit", data={"code": drafts[i][1]}).status_code)
    assert statuses == [303] * 5
    assert_one_place_and_the_rest_drafts("no_housing", drafts)


def test_five_sequential_submissions_of_one_person_keep_one_place_and_say_so(app, client):
    drafts = signed_drafts(app, client, "no_housing", 5)
    first, *others = drafts
    response = client.post(f"{first[0]}/submit", data={"code": first[1]})
    assert response.status_code == 303 and response.location.endswith("/done")
    said = {"en": "This person already has an application for the housing waiting list",
            "ru": "У этого человека уже есть заявление о постановке на учёт",
            "kk": "Бұл адамның тұрғынжайға мұқтаждар есебіне қою туралы өтініші бар"}
    for (base, code), lang in zip(others, ["en", "ru", "kk", "en"], strict=True):
        response = client.post(f"{base}/submit?lang={lang}", data={"code": code},
                               follow_redirects=True)
        assert response.status_code == 200 and response.request.path == f"{base}/check"
        page = response.get_data(as_text=True)
        assert said[lang] in page
        assert "On the list" not in page
    assert_one_place_and_the_rest_drafts("no_housing", drafts)


def copies(app_id: int, count: int) -> list[int]:
    """`count` more submitted applications of the same person, as the journey no longer makes
    them (one in progress per person): the office's own checks are what these tests prove."""
    source = fresh(app_id)
    ids = []
    for i in range(count):
        copy = Application(service=source.service, applicant_iin=source.applicant_iin,
                           subject_iin=source.subject_iin, data=dict(source.data),
                           status=source.status, channel=source.channel,
                           number=f"{source.number}-{i}", submitted_at=source.submitted_at,
                           status_token=f"copy-{app_id}-{i}")
        _db.session.add(copy)
        _db.session.flush()
        ids.append(copy.id)
    _db.session.commit()
    return ids


def emergency_cases(client, count: int) -> list[int]:
    """`count` emergency applications of one person, each awaiting the office's review."""
    sign_in(client, "emergency")
    base = walk(client, "emergency", case="emergency", signed_in=True)
    assert submit(client, base, "emergency").status_code == 303
    first = app_id_of(base)
    assert fresh(first).status == AppStatus.UNDER_REVIEW
    return [first, *copies(first, count - 1)]


def test_the_office_registers_one_person_once_in_sequence(app, client):
    ids = emergency_cases(client, 5)
    office = staff_client(app)
    assert office.post(f"/office/applications/{ids[0]}/register").status_code == 303
    for app_id in ids[1:]:
        response = office.post(f"/office/applications/{app_id}/register?lang=en",
                               follow_redirects=True)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "already on this waiting list with another application" in page
        assert "Registered in the list with number" not in page
        assert fresh(app_id).status == AppStatus.UNDER_REVIEW
    assert [fresh(i).status for i in ids] == [AppStatus.IN_QUEUE] + [AppStatus.UNDER_REVIEW] * 4
    assert len(entries_of(iin("emergency"))) == 1


def test_the_office_registers_one_person_once_in_parallel(app, client):
    ids = emergency_cases(client, 5)
    office = staff_client(app)
    tabs = [clone(app, office) for _ in ids]
    statuses = run_together(5, lambda i: tabs[i].post(
        f"/office/applications/{ids[i]}/register").status_code)
    assert statuses == [303] * 5
    states = sorted(fresh(i).status for i in ids)
    assert states == sorted([AppStatus.IN_QUEUE] + [AppStatus.UNDER_REVIEW] * 4)
    [entry] = entries_of(iin("emergency"))
    assert fresh(entry.application_id).data["queue_number"] == entry.number


def test_the_hearing_and_a_satisfied_complaint_do_not_give_a_second_place(app, client):
    sign_in(client, "sold_recently")
    base = walk(client, "sold_recently", settlement="astana", signed_in=True)
    assert submit(client, base, "sold_recently").status_code == 303
    first = app_id_of(base)
    [second] = copies(first, 1)
    bases = [base, base.rsplit("/", 1)[0] + f"/{second}"]
    # The final decisions come at the hearing's time [002 p.17]; the citizen signs in again.
    app.config["CLOCK"].set(dt.datetime.fromisoformat(fresh(second).data["hearing_at"]))
    sign_in(client, "sold_recently")
    office = staff_client(app, settlements=("astana",))
    minutes = {"participants": "The applicant; officer Test Officer"}
    assert office.post(f"/office/applications/{first}/hearing",
                       data={"outcome": "registered", **minutes}).status_code == 303
    assert fresh(first).status == AppStatus.IN_QUEUE
    refused = office.post(f"/office/applications/{second}/hearing?lang=en",
                          data={"outcome": "registered", **minutes}, follow_redirects=True)
    assert "already on this waiting list with another application" in refused.get_data(
        as_text=True)
    assert fresh(second).status == AppStatus.PRELIMINARY_REFUSAL
    assert "hearing" not in fresh(second).data
    assert client.post(f"{bases[1]}/complaint", data=complaint(1)).status_code == 303
    head = staff_client(app, login="head1", role="head", settlements=("astana",))
    answered = head.post(f"/office/applications/{second}/complaints/0?lang=ru", data={
        "c0-outcome": "satisfied", "c0-text": "Registered."}, follow_redirects=True)
    assert "Этот человек уже состоит на этом учёте по другому заявлению" in \
        answered.get_data(as_text=True)
    application = fresh(second)
    assert application.status == AppStatus.PRELIMINARY_REFUSAL
    assert "outcome" not in application.data["complaints"][0]  # still open
    assert len(entries_of(iin("sold_recently"))) == 1


def test_the_database_refuses_a_second_place_for_one_person_in_a_list(app, client):
    base = walk(client, "no_housing")
    assert submit(client, base, "no_housing").status_code == 303
    [entry] = entries_of(iin("no_housing"))
    moment = now()

    def another(status="active"):
        return QueueEntry(settlement_code=entry.settlement_code, list_code=entry.list_code,
                          number=entry.number + 100, person_iin=entry.person_iin,
                          status=status, submitted_at=moment, registered_at=moment)

    _db.session.add(another())
    with pytest.raises(IntegrityError):
        _db.session.flush()
    _db.session.rollback()
    # A closed place is no longer held: the person may join the list again.
    _db.session.add(another("closed"))
    _db.session.flush()
    _db.session.rollback()


def test_after_withdrawing_the_person_may_join_the_list_again(app, client):
    [(first, code), (second, code2)] = signed_drafts(app, client, "no_housing", 2)
    assert client.post(f"{first}/submit", data={"code": code}).status_code == 303
    assert client.post(f"{first}/withdraw").status_code == 303
    assert fresh(app_id_of(first)).status == AppStatus.WITHDRAWN
    assert client.post(f"{second}/submit", data={"code": code2}).status_code == 303
    assert fresh(app_id_of(second)).status == AppStatus.IN_QUEUE
    assert sorted(e.status for e in entries_of(iin("no_housing"))) == ["active", "closed"]
