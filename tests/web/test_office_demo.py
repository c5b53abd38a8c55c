"""The demo staff: fixed passwords and TOTP secrets (given in the README) that really sign in."""

from __future__ import annotations

import pyotp

from portal.clock import now
from portal.housing.office.staff import accounts
from portal.housing.office.staff.demo import DEMO_STAFF, seed_demo_staff


def test_demo_staff_sign_in_with_the_published_credentials(app, client):
    assert seed_demo_staff() == 2
    assert seed_demo_staff() == 0  # seeding twice adds nobody
    officer = accounts.by_login("officer")
    head = accounts.by_login("head")
    assert officer.role == "officer" and officer.settlements == ["almaty", "astana", "karaganda"]
    assert head.role == "head"
    for login, _name, _role, _settlements, password, secret, _iin in DEMO_STAFF:
        other = app.test_client()
        totp = pyotp.TOTP(secret)
        response = other.post("/office/sign-in", data={
            "login": login, "password": password, "code": totp.generate_otp(
                totp.timecode(now()))})
        assert response.status_code == 303 and response.location.endswith("/office/"), login


def test_the_demo_gives_the_office_an_emergency_review_a_hearing_and_a_complaint(
        seeded, app, client, tmp_path):
    from demo_registries.seed import DEMO_PEOPLE
    from portal.housing.office.staff.demo import seed_demo_cases

    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    people = {p["key"]: p["iin"] for p in DEMO_PEOPLE}
    assert seed_demo_cases(people) == 3
    assert seed_demo_cases(people) == 0  # seeding twice files nothing more
    seed_demo_staff()
    kinds = {}
    for login, _name, _role, _settlements, password, secret, _iin in DEMO_STAFF:
        other = app.test_client()
        totp = pyotp.TOTP(secret)
        other.post("/office/sign-in", data={"login": login, "password": password,
                                            "code": totp.generate_otp(totp.timecode(now()))})
        page = other.get("/office/?lang=en").get_data(as_text=True)
        kinds[login] = {k for k in ("<td>Emergency review", "<td>Hearing", "<td>Complaint")
                        if k in page}
    assert kinds["officer"] == {"<td>Emergency review", "<td>Hearing"}
    assert kinds["head"] == {"<td>Emergency review", "<td>Hearing", "<td>Complaint"}
