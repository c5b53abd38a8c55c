"""Staff for the office tests: accounts with a known password and TOTP secret."""

from __future__ import annotations

import pyotp

from portal.clock import now
from portal.housing.office.staff import accounts

PASSWORD = "correct-horse-battery"
SECRET = "JBSWY3DPEHPK3PXPTESTTEST"


def make_staff(login="officer1", role="officer", settlements=("almaty",), secret=SECRET):
    return accounts.add(login, "Test Officer", role, list(settlements), PASSWORD,
                        totp_secret=secret)


def code_now(secret=SECRET, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(now()) + offset_steps)


def staff_sign_in(client, login="officer1", secret=SECRET):
    response = client.post("/office/sign-in", data={
        "login": login, "password": PASSWORD, "code": code_now(secret)})
    assert response.status_code == 303 and response.location.endswith("/office/"), (
        response.status_code, response.get_data(as_text=True)[:300])
    return response
