"""The shared pages (the status page behind the QR code, "My applications") serve every service
in the catalogue from its definition: a housing application is shown as one, never as residence."""

from __future__ import annotations

import re

import pytest

from portal.core.models import Application
from portal.extensions import db
from tests.web.housing_helpers import submit, walk
from tests.web.pages import check_page, text_of

pytestmark = pytest.mark.usefixtures("seeded")


def _application(base: str) -> Application:
    return db.session.get(Application, int(base.rsplit("/", 1)[1]))


def test_the_status_page_of_a_housing_application_names_its_service_and_status(client, app,
                                                                                tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    base = walk(client, "no_housing")
    submit(client, base, "no_housing")
    application = _application(base)
    assert application.status != "draft"

    for lang, service in (("en", "housing waiting list"), ("ru", "жилищ")):
        page = text_of(check_page(client.get(f"/s/{application.status_token}?lang={lang}"), lang))
        assert service in page
        assert application.number in page
        assert "residence" not in page.lower() and "прописк" not in page.lower()
        assert not re.search(r"\d{4}-\d{2}-\d{2}", page)  # dates in the reader's language

    client.post("/sign-out")
    stranger = text_of(check_page(client.get(f"/s/{application.status_token}?lang=en"), "en"))
    assert application.number in stranger


def test_my_applications_lead_each_draft_to_its_own_journey(client, app):
    housing = walk(client, "no_housing")
    residence_draft = client.post("/residence/new")
    page = client.get("/cabinet?lang=en")
    html = str(check_page(page, "en"))
    assert f'href="{housing}' in html  # housing's draft resumes in the housing journey
    assert "Joining the housing waiting list" in html
    assert "Registration at place of residence" in html
    assert residence_draft.status_code == 303
    assert f'href="{residence_draft.location.rsplit("/", 1)[0]}' in html
    # Both services can be started from the cabinet.
    assert 'href="/housing/"' in html and 'href="/residence/"' in html


def test_my_applications_show_a_housing_application_with_its_own_status(client, app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    base = walk(client, "no_housing")
    submit(client, base, "no_housing")
    application = _application(base)
    html = str(check_page(client.get("/cabinet?lang=en"), "en"))
    assert application.number in html
    label = {"in_queue": "On the list", "submitted": "Submitted",
             "preliminary_refusal": "Preliminary refusal", "under_review": "Under review"}
    assert label[application.status] in html
