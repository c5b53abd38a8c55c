"""The demo staff: fixed passwords and TOTP secrets (given in the README) that really sign in."""

from __future__ import annotations

import pyotp

from portal.clock import now
from portal.staff import accounts
from portal.staff.demo import DEMO_STAFF, seed_demo_staff


def test_demo_staff_sign_in_with_the_published_credentials(app, client):
    assert seed_demo_staff() == 2
    assert seed_demo_staff() == 0  # seeding twice adds nobody
    officer = accounts.by_login("officer")
    head = accounts.by_login("head")
    assert officer.role == "officer" and officer.settlements == ["almaty"]
    assert head.role == "head"
    for login, _name, _role, _settlements, password, secret in DEMO_STAFF:
        other = app.test_client()
        totp = pyotp.TOTP(secret)
        response = other.post("/office/sign-in", data={
            "login": login, "password": password, "code": totp.generate_otp(
                totp.timecode(now()))})
        assert response.status_code == 303 and response.location.endswith("/office/"), login
