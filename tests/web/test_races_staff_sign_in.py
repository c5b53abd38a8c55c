"""Staff sign-in counts its tries before checking them, under parallel requests (hardening
issue item 5). Threads are released together by a Barrier, each with its own client and
address (per-address limits play no part); SQLite here, PostgreSQL under make test-postgres."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from portal.housing.office.staff import signin
from portal.housing.office.staff.models import StaffAudit, StaffMember
from tests.web.office_helpers import PASSWORD, code_now, make_staff
from tests.web.test_races_sign_in import together


def _post(client, i: int, code: str, password: str = PASSWORD):
    return client.post("/office/sign-in?lang=en",
                       data={"login": "officer1", "password": password, "code": code},
                       environ_base={"REMOTE_ADDR": f"10.1.{i // 200}.{i % 200 + 1}"})


def _wrong(right: str) -> str:
    return f"{(int(right) + 500_000) % 10**6:06d}"


def _counting_code_checks(monkeypatch) -> list:
    compared: list = []
    guard = threading.Lock()
    real = signin._matching_step

    def counted(*args):
        with guard:
            compared.append(args[1])
        return real(*args)

    monkeypatch.setattr(signin, "_matching_step", counted)
    return compared


def test_thirty_parallel_codes_with_the_right_password_compare_at_most_five_before_a_lock(app, db,
                                                                             monkeypatch):
    make_staff()
    compared = _counting_code_checks(monkeypatch)
    right = code_now()
    clients = [app.test_client() for _ in range(30)]
    codes = [_wrong(right)] * 29 + [right]
    statuses = together(30, lambda i: _post(clients[i], i, codes[i]).status_code)
    limit = signin.MAX_FAILED_ATTEMPTS
    if statuses.count(303) == 0:  # the right code came after the fifth try: all locked
        assert len(compared) <= limit and right not in compared
    else:
        # It was among the first five; a sign-in starts the count again (as any sign-in
        # does), so the requests still waiting get at most five more.
        assert statuses.count(303) == 1 and right in compared
        assert len(compared) <= 2 * limit


def test_after_thirty_parallel_wrong_codes_the_right_one_meets_the_lock(app, db, monkeypatch):
    make_staff()
    compared = _counting_code_checks(monkeypatch)
    right = code_now()
    clients = [app.test_client() for _ in range(30)]
    statuses = together(30, lambda i: _post(clients[i], i, _wrong(right)).status_code)
    assert statuses == [200] * 30 and len(compared) == signin.MAX_FAILED_ATTEMPTS
    response = _post(app.test_client(), 99, right)
    assert response.status_code == 200
    assert "paused for 15 minutes" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffAudit)
                             .where(StaffAudit.action == "lockout")) == 1


def test_thirty_parallel_wrong_passwords_do_not_lock_out_the_officer(app, db):
    make_staff()
    clients = [app.test_client() for _ in range(30)]
    together(30, lambda i: _post(clients[i], i, "000000", password=f"wrong-{i}").status_code)
    db.session.expire_all()
    member = db.session.scalar(sa.select(StaffMember))
    assert member.password_failures == signin.MAX_PASSWORD_FAILURES
    assert member.locked_until is None
    assert _post(app.test_client(), 99, code_now()).status_code == 303
