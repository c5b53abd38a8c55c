"""Requests released together, as an attacker sends them: threads held at a barrier, then let
go at once (anything counted must hold when 30 arrive together, on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading


def run_together(count: int, work, wait: float = 30):
    """`count` threads released at once by a barrier, each running work(i); their results in
    order. Any thread's exception fails the caller's test."""
    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(i):
        try:
            barrier.wait(wait)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(4 * wait)
    assert not errors, errors
    return results


def clone(app, client):
    """Another client of the same browser (the same signed-in person or staff member in another
    tab): the portal's cookies copied through the test client's public cookie API."""
    from kiosk.profile import DEVICE_COOKIE
    from portal.housing.office.staff.access import COOKIE as STAFF_COOKIE
    from portal.housing.office.staff.access import COOKIE_PATH as STAFF_PATH

    other = app.test_client()
    for name, path in [(app.config["SESSION_COOKIE_NAME"], "/"), (STAFF_COOKIE, STAFF_PATH),
                       (DEVICE_COOKIE, "/")]:
        cookie = client.get_cookie(name, path=path)
        if cookie is not None:
            other.set_cookie(name, cookie.value, domain=cookie.domain, path=cookie.path)
    return other
