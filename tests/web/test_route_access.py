"""Every route of the app is either on the short public list below, or needs a signed-in
citizen: a request without a session is sent to sign-in (or refused), never served. Office
routes (blueprints in STAFF_BLUEPRINTS) must also refuse a citizen's session.

Adding a route that should be public means adding it here, with the reason; forgetting the
sign-in guard on any other route fails this test."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

# endpoint -> why it is open to anyone
PUBLIC = {
    "static": "CSS, htmx, icons",
    "favicon": "the icon browsers ask for at /favicon.ico",
    "main.home": "the home page",
    "main.healthz": "the load balancer's health check",
    "auth.sign_in": "signing in",
    "auth.enter_code": "signing in (the pending code is in the session)",
    "auth.resend_code": "signing in (the pending code is in the session)",
    "ecp.sign_in": "signing in with ЭЦП (404 while ЭЦП is off)",
    "auth.sign_out": "harmless without a session",
    "residence.start": "what the service is; starting needs sign-in",
    "housing.start": "what the housing list is; starting needs sign-in",
    "housing.public_status": "the housing status behind the QR code (random token, no personal "
                             "data)",
    "housing.qr": "the QR code of that page",
    "housing_public.queue": "anyone checks a number's place in a list (no personal data)",
    "consent.answer": "the owner's page from the 1414 SMS link (the token is the key)",
    "consent.enter": "the owner types the code from the SMS",
    "consent.inbound_sms": "the SMS provider's webhook (shared secret)",
    "status.show": "the status page behind the QR code (random token, no personal data)",
    "status.qr": "the QR code of that page",
    "demo.sms_outbox": "demo mode only (404 otherwise, see test_demo_off.py)",
    "demo.sms_reply": "demo mode only: answers as an owner's phone would (404 otherwise)",
    "demo.mail_outbox": "demo mode only (404 otherwise, see test_demo_off.py)",
    "kiosk.enrol": "the one-time enrolment link of a kiosk (the token is the key)",
    "kiosk.handoff_qr": "the QR of a one-time hand-over link (it opens nothing without sign-in)",
}
# Staff sign-in: open to anyone, shows no data (tests/web/test_office_access.py guards the rest).
OFFICE_SIGN_IN = {"office.sign_in"}
# Blueprints of the staff office: a citizen's session must be refused there too.
STAFF_BLUEPRINTS = {"office"}
SIGN_IN_PATHS = {"/sign-in", "/office/sign-in"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(set(rule.methods) & set(METHODS)):
            yield rule, method


def _url(app, rule) -> str:
    # 1 fits every converter the portal uses (int, string, path).
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: 1 for name in rule.arguments})


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return urlsplit(response.location).path in SIGN_IN_PATHS
    return False


def _is_staff(endpoint: str) -> bool:
    return endpoint.split(".", 1)[0] in STAFF_BLUEPRINTS


def _served_without_session(app) -> list[str]:
    client = app.test_client()
    served = []
    for rule, method in _routes(app):
        if rule.endpoint in PUBLIC or rule.endpoint in OFFICE_SIGN_IN:
            continue
        response = client.open(_url(app, rule), method=method)
        response.close()  # a file sent (a static file, the icon) is closed here
        if not _refused(response):
            served.append(f"{method} {rule.rule} ({rule.endpoint}) -> {response.status_code}")
    return served


def test_every_route_but_the_public_ones_needs_a_signed_in_citizen(app):
    served = _served_without_session(app)
    assert not served, "add the sign-in guard, or list the route in PUBLIC with a reason: " \
        + "; ".join(served)


def test_a_new_route_without_the_guard_is_caught(app):
    app.add_url_rule("/my/secret-list/<int:n>", "oops", lambda n: "everyone's data")
    assert _served_without_session(app) == ["GET /my/secret-list/<int:n> (oops) -> 200"]


def test_the_public_list_names_only_routes_that_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not set(PUBLIC) - endpoints, "remove from PUBLIC: " + ", ".join(
        sorted(set(PUBLIC) - endpoints))
    assert not {e for e in PUBLIC if _is_staff(e)}, "an office route cannot be public"


def test_office_routes_refuse_a_citizens_session(seeded):
    client = seeded.test_client()
    with client.session_transaction() as session:
        session["iin"] = "850314301209"  # a citizen, signed in
    served = []
    for rule, method in _routes(seeded):
        if _is_staff(rule.endpoint) and rule.endpoint not in OFFICE_SIGN_IN:
            response = client.open(_url(seeded, rule), method=method)
            if not _refused(response):
                served.append(f"{method} {rule.rule} -> {response.status_code}")
    assert not served, served


@pytest.mark.parametrize("status, location, refused", [
    (302, "/sign-in", True), (303, "http://localhost/sign-in", True), (403, None, True),
    (302, "/cabinet", False), (200, None, False), (404, None, False)])
def test_what_counts_as_refused(status, location, refused):
    class Response:
        status_code = status

    Response.location = location
    assert _refused(Response()) is refused
