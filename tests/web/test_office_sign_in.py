"""Staff sign-in: password + TOTP, first-time set-up with a QR code, lockout, sessions."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from portal.housing.office.staff import accounts, signin
from portal.housing.office.staff.models import StaffAudit, StaffMember, StaffSession
from tests.web.office_helpers import PASSWORD, code_now, make_staff, staff_sign_in
from tests.web.pages import LANGS, check_page, text_of

WRONG = "The login, password or code is wrong"


def actions(db):
    return [a.action for a in db.session.scalars(sa.select(StaffAudit).order_by(StaffAudit.id))]


def post_sign_in(client, login="officer1", password=PASSWORD, code=None, ip="127.0.0.1"):
    return client.post("/office/sign-in?lang=en", data={
        "login": login, "password": password, "code": code if code is not None else code_now()},
        environ_base={"REMOTE_ADDR": ip})


def test_password_and_code_sign_in_and_the_cookie_is_the_office_own(app, client, db):
    make_staff()
    response = staff_sign_in(client)
    cookie = response.headers.getlist("Set-Cookie")
    staff_cookie = [c for c in cookie if c.startswith("mk_staff=")]
    assert staff_cookie and "Path=/office" in staff_cookie[0] and "HttpOnly" in staff_cookie[0]
    assert "SameSite=Strict" in staff_cookie[0]
    page = check_page(client.get("/office/?lang=en"), "en")
    assert "Work list" in text_of(page) and "Test Officer" in text_of(page)
    assert actions(db) == ["sign_in"]
    token = client.get_cookie("mk_staff", path="/office").value
    row = db.session.scalar(sa.select(StaffSession))
    assert row.token_hash != token and len(row.token_hash) == 64  # only a hash is stored


@pytest.mark.parametrize("what", ["password", "code", "login"])
def test_a_refusal_never_says_which_factor_was_wrong(app, client, db, what):
    make_staff()
    data = {"login": "officer1", "password": PASSWORD, "code": code_now()}
    data[what] = {"password": "wrong-password-x", "code": code_now(offset_steps=5),
                  "login": "nobody"}[what]
    response = client.post("/office/sign-in?lang=en", data=data)
    assert response.status_code == 200
    assert WRONG in text_of(check_page(response, "en"))
    assert client.get_cookie("mk_staff", path="/office") is None
    assert actions(db) == ["sign_in_failed"]


def test_a_code_is_good_once_even_within_its_window(app, client, db):
    make_staff()
    code = code_now()
    assert post_sign_in(client, code=code).status_code == 303
    other = app.test_client()
    assert WRONG in post_sign_in(other, code=code).get_data(as_text=True)


def test_the_neighbouring_step_is_accepted_but_not_two_steps_away(app, client, clock):
    make_staff()
    assert post_sign_in(client, code=code_now(offset_steps=-1)).status_code == 303
    assert post_sign_in(app.test_client(), code=code_now(offset_steps=2)).status_code == 200
    clock.advance(seconds=30)
    assert post_sign_in(app.test_client(), code=code_now(offset_steps=1)).status_code == 303


def test_five_wrong_codes_after_the_right_password_lock_the_account_for_fifteen_minutes(
        app, client, db, clock):
    make_staff()
    for _ in range(4):
        assert WRONG in post_sign_in(client, code="000000").get_data(as_text=True)
    response = post_sign_in(client, code="000000")
    assert "paused for 15 minutes" in response.get_data(as_text=True)
    assert actions(db)[-2:] == ["sign_in_failed", "lockout"]
    # Locked: even the right password and code are refused until 15:00 have passed.
    clock.advance(minutes=14, seconds=59)
    assert "paused for 1 minute." in post_sign_in(client).get_data(as_text=True)
    clock.advance(seconds=1)
    assert post_sign_in(client).status_code == 303
    member = db.session.scalar(sa.select(StaffMember))
    db.session.refresh(member)
    assert member.failed_attempts == 0


def test_a_right_sign_in_resets_the_count(app, client, db):
    make_staff()
    for _ in range(4):
        post_sign_in(client, code="000000")
    staff_sign_in(client)
    for _ in range(4):
        post_sign_in(app.test_client(), code="000000")
    assert "lockout" not in actions(db)


def test_wrong_passwords_by_a_stranger_do_not_stop_the_officer_who_passes_totp(app, client, db):
    make_staff()
    stranger = app.test_client()
    for attempt in range(12):
        page = post_sign_in(stranger, password=f"wrong-{attempt}",
                            ip=f"10.9.0.{attempt + 1}").get_data(as_text=True)
        assert WRONG in page and "paused" not in page  # a lock the stranger could see tells
    assert post_sign_in(client).status_code == 303
    assert "lockout" not in actions(db)


def test_after_five_wrong_passwords_a_password_alone_confirms_nothing(app, client, db):
    """An account without its app yet: a right password leads to the set-up, which would tell
    a guesser the password is right; after 5 wrong ones in a row it does not for 15 minutes."""
    accounts.add("newbie", "New Officer", "officer", ["almaty"], PASSWORD)
    for attempt in range(5):
        post_sign_in(app.test_client(), login="newbie", password=f"wrong-{attempt}", code="")
    paused = post_sign_in(client, login="newbie", code="")
    assert paused.status_code == 200 and WRONG in paused.get_data(as_text=True)
    assert client.get_cookie("mk_staff", path="/office") is None


def test_an_unknown_login_is_answered_like_a_real_one(app, db, monkeypatch):
    """The same message in the same number of tries, and a password hash verified each time."""
    make_staff()
    verified = []
    real_check = signin._password_ok
    monkeypatch.setattr(signin, "_password_ok",
                        lambda *a: verified.append(a[0]) or real_check(*a))
    answers = {}
    for n, login in enumerate(("officer1", "nobody")):
        verified.clear()
        client = app.test_client()
        pages = [post_sign_in(client, login=login, password=f"wrong-{i}", ip=f"10.8.{n}.1")
                 .get_data(as_text=True) for i in range(7)]
        answers[login] = [WRONG in page and "paused" not in page for page in pages]
        assert len(verified) == 7 and all(h.startswith("$argon2") for h in verified), login
    assert answers["officer1"] == answers["nobody"] == [True] * 7


def test_first_sign_in_sets_up_the_app_with_a_qr_code(app, client, db):
    from portal.housing.office.staff import accounts

    accounts.add("newbie", "New Officer", "officer", ["almaty"], PASSWORD)
    assert client.get("/office/sign-in/set-up/qr.svg").status_code == 403
    response = client.post("/office/sign-in", data={"login": "newbie", "password": PASSWORD})
    assert response.status_code == 303 and response.location.endswith("/office/sign-in/set-up")
    # Half signed in: the set-up page and its QR code, but no office page.
    assert client.get("/office/").status_code == 302
    page = check_page(client.get("/office/sign-in/set-up?lang=en"), "en")
    secret = page.select_one("code.secret").get_text()
    qr = client.get("/office/sign-in/set-up/qr.svg")
    assert qr.mimetype == "image/svg+xml" and qr.headers["Cache-Control"] == "no-store"
    assert b"<svg" in qr.data and b"<path" in qr.data
    assert app.test_client().get("/office/sign-in/set-up/qr.svg").status_code == 403
    # A wrong code keeps the set-up; the right one confirms it and signs in.
    wrong = client.post("/office/sign-in/set-up?lang=en", data={"code": "123456"})
    assert "The code is wrong" in wrong.get_data(as_text=True)
    right = client.post("/office/sign-in/set-up", data={"code": code_now(secret)})
    assert right.status_code == 303 and right.location.endswith("/office/")
    assert client.get("/office/").status_code == 200
    # After set-up the secret is never shown again, and the QR code is gone.
    assert client.get("/office/sign-in/set-up/qr.svg").status_code == 403
    assert client.get("/office/sign-in/set-up").status_code == 302
    assert actions(db) == ["sign_in_failed", "totp_setup", "sign_in"]


def test_sign_out_ends_the_session_on_the_server(app, client, db):
    make_staff()
    staff_sign_in(client)
    token = client.get_cookie("mk_staff", path="/office").value
    response = client.post("/office/sign-out")
    assert response.status_code == 303
    assert client.get("/office/").status_code == 302
    # The old cookie value replayed by someone else opens nothing.
    thief = app.test_client()
    thief.set_cookie("mk_staff", token, path="/office")
    assert thief.get("/office/").status_code == 302
    assert actions(db) == ["sign_in", "sign_out"]


def test_idle_timeout_is_fifteen_minutes_and_activity_extends_it(app, client, clock):
    make_staff()
    staff_sign_in(client)
    clock.advance(minutes=14, seconds=59)
    assert client.get("/office/").status_code == 200  # seen again: the idle clock restarts
    clock.advance(minutes=14, seconds=59)
    assert client.get("/office/").status_code == 200
    clock.advance(minutes=15)
    assert client.get("/office/").status_code == 302


def test_absolute_lifetime_is_ten_hours(app, client, clock):
    make_staff()
    staff_sign_in(client)
    for _ in range(int(signin.ABSOLUTE_LIFETIME / dt.timedelta(minutes=10)) - 1):
        clock.advance(minutes=10)
        assert client.get("/office/").status_code == 200
    clock.advance(minutes=10)  # exactly 10:00:00 after signing in
    assert client.get("/office/").status_code == 302


def test_a_disabled_account_loses_its_session_and_cannot_sign_in(app, client, runner):
    make_staff()
    staff_sign_in(client)
    result = runner.invoke(args=["staff", "disable", "officer1"])
    assert result.exit_code == 0, result.output
    assert client.get("/office/").status_code == 302
    assert WRONG in post_sign_in(app.test_client()).get_data(as_text=True)


def test_staff_cli_add_prints_a_password_once_and_list_shows_it(app, runner):
    result = runner.invoke(args=["staff", "add", "aigul", "--name", "Айгүл Н.", "--role",
                                 "officer", "--settlement", "almaty", "--settlement", "astana"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password (shown once, hand it over in person): ")[1].split()[0]
    assert len(password) == 16
    member = accounts.by_login("aigul")
    assert member.settlements == ["almaty", "astana"] and password not in member.password_hash
    assert signin._password_ok(member.password_hash, password)
    listed = runner.invoke(args=["staff", "list"])
    assert "aigul\tofficer\talmaty,astana\tno TOTP yet" in listed.output
    again = runner.invoke(args=["staff", "add", "aigul", "--name", "X", "--role", "head",
                                "--settlement", "almaty"])
    assert again.exit_code != 0 and "taken" in again.output
    bad = runner.invoke(args=["staff", "add", "x", "--name", "X", "--role", "boss",
                              "--settlement", "almaty"])
    assert bad.exit_code != 0


@pytest.mark.parametrize("lang", LANGS)
def test_office_pages_in_every_language(app, client, lang):
    from portal.housing.office.staff import accounts

    make_staff(role="head")
    check_page(client.get(f"/office/sign-in?lang={lang}"), lang)
    check_page(client.post(f"/office/sign-in?lang={lang}", data={"login": "x"}), lang)
    staff_sign_in(client)
    check_page(client.get(f"/office/?lang={lang}"), lang)
    check_page(client.get(f"/office/?settlement=almaty&kind=hearing&lang={lang}"), lang)
    check_page(client.get(f"/office/audit?lang={lang}"), lang)
    check_page(client.get(f"/office/audit?application=7&lang={lang}"), lang)
    check_page(client.get(f"/office/audit?application=abc&lang={lang}"), lang)
    accounts.add("fresh", "Fresh", "officer", ["almaty"], PASSWORD)
    other = app.test_client()
    other.post("/office/sign-in", data={"login": "fresh", "password": PASSWORD})
    check_page(other.get(f"/office/sign-in/set-up?lang={lang}"), lang)
    check_page(other.post(f"/office/sign-in/set-up?lang={lang}", data={"code": ""}), lang)


def test_per_address_rate_limit(app, client, app_config):
    make_staff()
    statuses = [post_sign_in(client, login=f"nobody{i}").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_wrong_set_up_codes_count_towards_the_lock(app, client, db):
    accounts.add("newbie", "New Officer", "officer", ["almaty"], PASSWORD)
    client.post("/office/sign-in", data={"login": "newbie", "password": PASSWORD})
    for _ in range(4):
        wrong = client.post("/office/sign-in/set-up?lang=en", data={"code": "123456"})
        assert "The code is wrong" in wrong.get_data(as_text=True)
    locked = client.post("/office/sign-in/set-up?lang=en", data={"code": "123456"})
    assert "paused for 15 minutes" in locked.get_data(as_text=True)
    assert actions(db)[-1] == "lockout"
    # Even the right password now meets the lock instead of a new set-up.
    again = post_sign_in(app.test_client(), login="newbie", code="")
    assert "paused for 15 minutes" in again.get_data(as_text=True)
