"""Counters that must hold under parallel requests (issue 6, "Codes and limits" 2 and 3).

Each test releases its threads together with a Barrier; every thread has its own Flask test
client doing real requests against the real database (SQLite here, PostgreSQL under
`make test-postgres`). The guessers come from different addresses, so per-IP limits play no
part: only the counters in the database stand in the way.
"""

from __future__ import annotations

import threading

import pytest

from portal.core.models import Application, AppStatus, OneTimeCode, SmsMessage
from portal.core.services import codes
from portal.extensions import db
from tests.web.helpers import code_in, fill_draft, iin, last_sms, phone_of, sign_in

COOKIE = "mk_session"


def together(count: int, work) -> list:
    """Run work(i) in `count` threads released at once; returns their results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def _clone(app, client):
    """Another client (another thread's) carrying the same session cookie."""
    twin = app.test_client()
    twin.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return twin


def _from(i: int) -> dict:
    return {"REMOTE_ADDR": f"10.0.{i // 200}.{i % 200 + 1}"}


def _wrong(right: str) -> str:
    return f"{(int(right) + 1) % 10**6:06d}"


def _sms_count() -> int:
    db.session.expire_all()
    return db.session.query(SmsMessage).count()


def test_thirty_parallel_wrong_sign_in_codes_check_at_most_five(seeded, app, client):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    right = code_in(last_sms(phone_of("owner_self")))
    twins = [_clone(app, client) for _ in range(30)]
    statuses = together(30, lambda i: twins[i].post(
        "/sign-in/code", data={"code": _wrong(right)}, environ_base=_from(i)).status_code)
    assert statuses == [200] * 30
    db.session.expire_all()
    row = db.session.query(OneTimeCode).one()
    assert row.attempts == 5 and row.used_at is None
    response = client.post("/sign-in/code?lang=en", data={"code": right})
    assert response.status_code == 200 and "no longer works" in response.get_data(as_text=True)
    assert client.get("/cabinet").status_code == 302


def test_thirty_parallel_wrong_signing_codes_check_at_most_five(seeded, app, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert client.post(f"{base}/sign").status_code == 303
    right = code_in(last_sms(phone_of("owner_self")))
    twins = [_clone(app, client) for _ in range(30)]
    together(30, lambda i: twins[i].post(
        f"{base}/submit", data={"code": _wrong(right)}, environ_base=_from(i)).status_code)
    db.session.expire_all()
    row = db.session.query(OneTimeCode).filter_by(purpose="sign_application").one()
    assert row.attempts == 5 and row.used_at is None
    client.post(f"{base}/submit", data={"code": right}, environ_base=_from(99))
    app_id = int(base.rsplit("/", 1)[1])
    db.session.expire_all()
    assert db.session.get(Application, app_id).status == AppStatus.DRAFT


def test_two_parallel_right_codes_sign_in_once(seeded, app, client):
    client.post("/sign-in", data={"iin": iin("owner_self")})
    right = code_in(last_sms(phone_of("owner_self")))
    twins = [_clone(app, client) for _ in range(2)]
    statuses = together(2, lambda i: twins[i].post(
        "/sign-in/code", data={"code": right}, environ_base=_from(i)).status_code)
    # One signs in; the other finds the code used, or (its session id already replaced by
    # the sign-in) no code at all.
    assert statuses.count(303) == 1
    from portal.core.models import AuditEvent

    db.session.expire_all()
    assert db.session.query(AuditEvent).filter_by(kind="sign_in").count() == 1


def test_ten_parallel_sign_ins_for_one_iin_send_one_code(seeded, app):
    clients = [app.test_client() for _ in range(10)]
    statuses = together(10, lambda i: clients[i].post(
        "/sign-in", data={"iin": iin("owner_self")}, environ_base=_from(i)).status_code)
    assert statuses == [303] * 10  # every one of them is led to the same live code
    assert _sms_count() == 1
    code = code_in(last_sms(phone_of("owner_self")))
    response = clients[7].post("/sign-in/code", data={"code": code})
    assert response.status_code == 303 and response.location.endswith("/cabinet")


class TestWhenEveryCodeDiesAtOnce:
    """Codes that die at once (0 minutes) and no cooldown: each sign-in must send a new code,
    so only the hourly caps stand between parallel requests and as many SMS."""

    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "SIGN_IN_CODE_MINUTES": 0, "CODE_RESEND_SECONDS": 0}

    def test_fifteen_parallel_sign_ins_send_at_most_ten_codes(self, seeded, app):
        clients = [app.test_client() for _ in range(15)]
        statuses = together(15, lambda i: clients[i].post(
            "/sign-in", data={"iin": iin("owner_self")}, environ_base=_from(i)).status_code)
        assert sorted(statuses) == [200] * 5 + [303] * 10
        assert _sms_count() == codes.CODES_PER_HOUR == 10

    def test_ten_parallel_sign_ins_from_one_address_send_at_most_three_codes(self, seeded, app):
        clients = [app.test_client() for _ in range(10)]
        together(10, lambda i: clients[i].post(
            "/sign-in", data={"iin": iin("owner_self")}, environ_base=_from(0)).status_code)
        assert _sms_count() == codes.CODES_PER_ASKER_PER_HOUR == 3


class TestWithoutCooldown:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "CODE_RESEND_SECONDS": 0}

    def test_ten_parallel_resends_send_at_most_three_codes(self, seeded, app, client):
        client.post("/sign-in", data={"iin": iin("owner_self")})
        twins = [_clone(app, client) for _ in range(10)]
        together(10, lambda i: twins[i].post("/sign-in/resend", environ_base=_from(i)))
        assert _sms_count() == 3  # one session: its own cap, from whichever address
        db.session.expire_all()
        assert sum(row.sends for row in db.session.query(OneTimeCode)) == 3


# --- Hardening item 6: a stranger with only an IIN cannot lock its holder out ----------------


def _kill_the_shared_code(app, stranger) -> None:
    """The stranger asks for a code and kills it with 30 parallel wrong guesses."""
    assert stranger.post("/sign-in", data={"iin": iin("owner_self")},
                         environ_base=_from(0)).status_code == 303
    right = code_in(last_sms(phone_of("owner_self")))
    twins = [_clone(app, stranger) for _ in range(30)]
    together(30, lambda i: twins[i].post("/sign-in/code", data={"code": _wrong(right)},
                                         environ_base=_from(0)))


def test_after_a_stranger_kills_codes_the_holder_in_another_session_signs_in(seeded, app):
    stranger, holder = app.test_client(), app.test_client()
    _kill_the_shared_code(app, stranger)
    # The stranger, from new sessions at their address, asks again and again at once: the
    # address's cap and cooldown hold, and each code they get is bound to their own session.
    strangers = [app.test_client() for _ in range(10)]
    together(10, lambda i: strangers[i].post("/sign-in", data={"iin": iin("owner_self")},
                                             environ_base=_from(0)).status_code)
    assert _sms_count() <= codes.CODES_PER_ASKER_PER_HOUR
    # The holder, in their own session elsewhere, gets a code of their own at once.
    sent_before = _sms_count()
    assert holder.post("/sign-in", data={"iin": iin("owner_self")},
                       environ_base=_from(500)).status_code == 303
    assert _sms_count() == sent_before + 1
    right = code_in(last_sms(phone_of("owner_self")))
    # Meanwhile 20 other sessions of the stranger, from as many addresses, ask for codes and
    # guess; none of them is led to the holder's code, so the holder's tries are untouched.
    others = [app.test_client() for _ in range(20)]

    def work(i: int):
        if i == 20:
            return holder.post("/sign-in/code", data={"code": right},
                               environ_base=_from(500)).status_code
        others[i].post("/sign-in", data={"iin": iin("owner_self")}, environ_base=_from(i + 1))
        return others[i].post("/sign-in/code", data={"code": _wrong(right)},
                              environ_base=_from(i + 1)).status_code

    others.append(holder)
    statuses = together(21, work)
    assert statuses[20] == 303
    assert holder.get("/cabinet", environ_base=_from(500)).status_code == 200
    assert all(other.get("/cabinet").status_code == 302 for other in others[:20])
    db.session.expire_all()
    holders = db.session.query(OneTimeCode).filter(OneTimeCode.used_at.isnot(None)).one()
    assert holders.bound and holders.attempts == 0  # the stranger never typed into it
    assert _sms_count() <= codes.CODES_PER_HOUR


def test_thirty_strangers_from_thirty_addresses_trigger_at_most_ten_sms(seeded, app):
    _kill_the_shared_code(app, app.test_client())
    strangers = [app.test_client() for _ in range(30)]
    together(30, lambda i: strangers[i].post("/sign-in", data={"iin": iin("owner_self")},
                                             environ_base=_from(i + 1)).status_code)
    assert _sms_count() <= codes.CODES_PER_HOUR
    db.session.expire_all()
    fresh = db.session.query(OneTimeCode).filter(OneTimeCode.attempts == 0).all()
    assert fresh and all(row.bound for row in fresh)
    assert len({row.asker for row in fresh}) == len(fresh)  # one session each
