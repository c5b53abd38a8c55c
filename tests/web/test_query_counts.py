"""How many SQL statements each kind of page runs, so an N+1 (a query per row, often a lazy load
from a template) or a new per-request query cannot come back unnoticed (docs/BENCHMARKS.md).

Counted with SQLAlchemy's `before_cursor_execute` on the app's engine: every statement the page
sends, the session store's included (the tests keep sessions in the database, as a centre
without Redis does). Not counted: BEGIN/COMMIT/ROLLBACK, which the DBAPI sends itself. Each page
is asked once to warm up, then counted on a fresh database session (the tests' app context
would otherwise keep loaded rows between requests, which a server does not). The numbers are
exact on purpose: a change that adds a statement must change this file and say why.
"""

from __future__ import annotations

import contextlib
import re

import pytest
import sqlalchemy as sa

from portal.core.models import Application
from portal.extensions import db
from tests.web.helpers import application_at, fill_draft, iin, new_draft, sign_and_submit, sign_in
from tests.web.housing_helpers import submit, walk


@contextlib.contextmanager
def counting():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def statements_for(client, url: str, **kwargs) -> list[str]:
    for _warm_up in range(2):  # first-visit work (the session made, then its first seen_at)
        assert client.get(url, **kwargs).status_code == 200
    db.session.remove()
    with counting() as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return statements


@pytest.fixture
def registered(seeded, client):
    """A signed-in owner whose own-home application is registered; and a draft at the address
    step. Returns (status token, draft base URL)."""
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert sign_and_submit(client, base, "owner_self").status_code == 303
    token = application_at(base).status_token
    draft = new_draft(client)
    assert client.post(f"{draft}/who", data={"person": iin("owner_self")}).status_code == 303
    return token, draft


# (page, expected statements, why) for a visitor without a session.
ANONYMOUS = [
    ("/", 0, "nothing from the database; no session is made for a page without a form"),
    ("/sign-in", 0, "the form's CSRF token is in the visitor's signed cookie, not the store"),
    ("/consent", 0, "the same: a visitor's session is a signed cookie"),
    ("/healthz", 1, "SELECT 1"),
]


@pytest.mark.parametrize("url,expected,why", ANONYMOUS)
def test_anonymous_pages(seeded, app, url, expected, why):
    client = app.test_client()
    statements = statements_for(client, url)
    assert len(statements) == expected, (why, statements)


def test_status_page_and_qr(registered, app):
    token, _draft = registered
    visitor = app.test_client()  # the crowd that scans the QR code: no session
    # The application with its consents and how it was signed in one statement (joined); no
    # lazy loads from the page.
    statements = statements_for(visitor, f"/s/{token}")
    assert len(statements) == 1, statements
    assert "JOIN signature" in statements[0]
    # The QR code never changes for a token: after the first request it comes from memory.
    statements = statements_for(visitor, f"/s/{token}/qr.svg")
    assert len(statements) == 0, statements


# (page, expected statements, why) for the signed-in citizen (session in the database).
SIGNED_IN = [
    ("/cabinet", 3, "session; the citizen's applications, drafts and submitted in one statement; "
                    "consents asked of them. The greeting's name is in the session (kept at "
                    "sign-in) and who and where on the application (kept at submission): no "
                    "registry read"),
    ("{draft}/address", 2, "session; the draft (who is signed in is in the session: no registry "
                           "read)"),
]


@pytest.mark.parametrize("url,expected,why", SIGNED_IN)
def test_signed_in_pages(registered, client, url, expected, why):
    _token, draft = registered
    statements = statements_for(client, url.format(draft=draft))
    assert len(statements) == expected, (why, statements)


def test_address_search_fragment(registered, client):
    _token, draft = registered
    statements = statements_for(client, f"{draft}/address", query_string={"q": "Төле би 59"},
                                headers={"HX-Request": "true", "HX-Target": "results"})
    # session; the draft; the address search: the streets by trigram, the addresses on the
    # best street (not one statement per result). The registry's street-type words and
    # settlement names are read once per process, not on every keystroke.
    assert len(statements) == 4, statements


def test_a_session_is_not_written_again_when_nothing_changed(registered, client):
    """The signed-in citizen's session is read on each request but written at most once a
    minute (to keep the idle time), not on every page."""
    statements = statements_for(client, "/cabinet")
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == [], writes


def test_a_page_without_a_form_makes_no_session(seeded, app):
    """Reading the home page sets no session cookie (nothing to store), while a form page does,
    and its htmx header carries the very token of its form."""
    visitor = app.test_client()
    home = visitor.get("/")
    assert "Set-Cookie" not in home.headers and "__mekenjai_csrf" not in home.get_data(True)
    sign_in_page = visitor.get("/sign-in")
    body = sign_in_page.get_data(as_text=True)
    assert "mk_session=" in sign_in_page.headers.get("Set-Cookie", "")
    header = re.search(r'"X-CSRFToken": "([^"]+)"', body).group(1)
    assert header and f'name="csrf_token" value="{header}"' in body


def test_the_qr_code_is_cached_by_browsers_and_answers_304(registered, app):
    token, _draft = registered
    visitor = app.test_client()
    first = visitor.get(f"/s/{token}/qr.svg")
    assert first.status_code == 200 and first.mimetype == "image/svg+xml"
    assert "max-age=2592000" in first.headers["Cache-Control"] and first.headers["ETag"]
    again = visitor.get(f"/s/{token}/qr.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert visitor.get("/s/not-a-token/qr.svg").status_code == 404


@pytest.fixture
def housing_applicant(seeded, client):
    """A signed-in citizen with no housing, their housing draft at the check page. Returns its
    base URL."""
    return walk(client, "no_housing")


def test_housing_check_page(housing_applicant, client):
    statements = statements_for(client, f"{housing_applicant}/check")
    # session; the draft; what the registries say, asked again for the check (the demo
    # registry: the person with their housing record, the family links, the children; then the
    # histories of the person and the whole family together, one statement a table:
    # ownerships, residences, queue places elsewhere, worsenings, state rental by status or
    # lease; tests/integration/test_demo_housing_statements.py); the queue entries held in
    # our own e-base and the documents of the draft. The citizen is not read for the page.
    assert len(statements) == 12, [s.split("FROM")[1][:40] for s in statements]


def test_housing_done_status_and_queue_look_up(housing_applicant, client, app):
    assert submit(client, housing_applicant, "no_housing").status_code == 303
    application = db.session.get(Application, int(housing_applicant.rsplit("/", 1)[1]))
    token, number = application.status_token, application.data["queue_number"]
    # session; the application; its queue entry; its place and the list's length in one
    # statement over the kept counts (housing_queue_count, docs/housing.md)
    statements = statements_for(client, f"{housing_applicant}/done")
    assert len(statements) == 4, statements
    visitor = app.test_client()
    # the same without the session: the application, its entry, its place and total
    statements = statements_for(visitor, f"/housing/s/{token}")
    assert len(statements) == 3, statements
    # the look-up by number: the entry, its place and total; nothing about the person
    statements = statements_for(
        visitor, "/queue", query_string={"settlement": "almaty", "list_code": "general",
                                         "number": str(number).rsplit("-", 1)[-1]})
    assert len(statements) == 2, statements
    assert all("application" not in s.split("FROM", 1)[-1] for s in statements), statements


@pytest.mark.parametrize("url", ["/housing/", "/queue"])
def test_housing_public_pages(seeded, app, url):
    """The housing start page and the empty look-up form ask nothing of the database."""
    assert statements_for(app.test_client(), url) == []


def test_the_office_work_list(seeded, app, client, tmp_path):
    """The staff member's work list: its rows (with the applicant's name and the objection's
    flag, both kept in the row) in one statement, however many there are."""
    from tests.support import builders
    from tests.web.office_helpers import make_staff, staff_sign_in
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")
    builders.filed_housing_application(iin("emergency"), case="emergency", settlement="almaty")
    make_staff()
    office = app.test_client()
    staff_sign_in(office)
    statements = statements_for(office, "/office/")
    assert "/office/applications/" in office.get("/office/").get_data(as_text=True)
    # the staff session with its member (joined); the work list's rows (one statement)
    assert len(statements) == 2, statements
    assert sum("FROM application" in s for s in statements) == 1, statements
