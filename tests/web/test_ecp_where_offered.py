"""Where ЭЦП is offered (the issue "What people see"): it needs JavaScript and NCALayer, so
without JavaScript the page shows only the SMS code and a note why; a kiosk in a ЦОН hall is a
public machine, where a key and its password must never be used: ЭЦП is not offered there."""

from __future__ import annotations

import pytest

from tests.web.helpers import fill_draft, iin, sign_in
from tests.web.pages import parse
from tests.web.test_ecp_web import app_config, pki  # noqa: F401
from tests.web.test_kiosk import enrol

pytestmark = pytest.mark.usefixtures("seeded")


def check_page(client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    return parse(client.get(f"{base}/check?lang=en"))


def test_without_javascript_the_ecp_offer_is_hidden_and_a_note_says_why(client):
    page = check_page(client)
    form = page.select_one("form[data-ecp-sign]")
    section = form.find_parent("section")
    assert section.has_attr("hidden") and section.has_attr("data-ecp-section")
    note = page.select_one("noscript")
    assert "needs JavaScript" in note.get_text() and not note.find_parent("section")


def test_at_a_kiosk_ecp_is_never_offered(client, runner):
    enrol(client, runner)
    page = check_page(client)
    assert not page.select("form[data-ecp-sign], .ecp") and "ЭЦП" not in page.get_text()
    sign_in_page = parse(client.get("/sign-in?lang=en"))
    assert not sign_in_page.select("a[href='/sign-in/ecp']")
    assert client.get("/sign-in/ecp").status_code == 404


def test_on_the_portal_ecp_is_offered(client):
    assert check_page(client).select_one("form[data-ecp-sign]")
    client.post("/sign-out")
    assert parse(client.get("/sign-in?lang=en")).select("a[href='/sign-in/ecp']")
