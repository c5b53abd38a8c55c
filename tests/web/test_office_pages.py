"""What the office's pages show and send (issue 21, "Office"): the work list names the applicant
and flags an objection that arrived, from its one statement; dates in one style (no ISO date,
no "10:00:00 AM"); a document downloads as an attachment with a safe name and its real type."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.core.models.housing import HousingDocument
from portal.extensions import db as _db
from portal.i18n import format_day
from tests.web.test_hearing import HEARING, KEY, objection, refused_preliminarily
from tests.web.test_office_decisions import fresh, staff_client, text_of
from tests.web.test_query_counts import statements_for

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def _name_of(app_id: int) -> str:
    name = fresh(app_id).data["applicant_name"]
    assert name.strip()
    return name


def test_the_work_list_names_the_applicant_and_flags_the_objection(app, client):
    base, app_id = refused_preliminarily(client)
    office = staff_client(app, settlements=("astana",))
    listed = text_of(office.get("/office/?lang=en"))
    assert _name_of(app_id) in listed and "Objection received" not in listed
    assert objection(client, base).status_code == 303
    listed = text_of(office.get("/office/?lang=en"))
    assert _name_of(app_id) in listed and "Objection received" in listed


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_office_dates_are_in_one_style(app, client, lang):
    base, app_id = refused_preliminarily(client)
    assert objection(client, base).status_code == 303
    office = staff_client(app, settlements=("astana",))
    for url in ("/office/", f"/office/applications/{app_id}"):
        page = text_of(office.get(f"{url}?lang={lang}"))
        main = page[page.index("<main"):page.index("</main>")]
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", re.sub(r'(href|value|action)="[^"]*"', "",
                                                             main)), url
        assert not re.search(r"\d:\d\d:\d\d|\b[AP]M\b", main), url
        assert format_day(HEARING, lang) in main, url


def test_a_document_downloads_as_an_attachment_with_a_safe_name(app, client):
    base, app_id = refused_preliminarily(client)
    assert objection(client, base).status_code == 303
    [document] = _db.session.scalars(sa.select(HousingDocument).where(
        HousingDocument.application_id == app_id, HousingDocument.kind == "objection"))
    office = staff_client(app, settlements=("astana",))
    response = office.get(f"/office/applications/{app_id}/documents/{document.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=objection-{document.id}.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF")
    page = text_of(office.get(f"/office/applications/{app_id}?lang=en"))
    assert f'/documents/{document.id}" download>' in page  # the link asks to download too


def test_the_work_list_is_one_statement_for_its_rows(app, client):
    """Each row's name and objection come from the row itself: five applications cost the
    same statements as one (no query per row)."""
    refused_preliminarily(client)
    office = staff_client(app, settlements=("astana",))
    one = statements_for(office, "/office/?lang=en")
    from demo_registries.seed import DEMO_PEOPLE
    from portal.housing.services.errors import HousingRefused
    from tests.support import builders
    added = 0
    for person in DEMO_PEOPLE:
        if added == 4 or person["key"] == KEY:
            continue
        try:
            builders.filed_housing_application(person["iin"], case="emergency",
                                               settlement="astana")
        except HousingRefused:  # a person who cannot apply (a minor, already applied)
            _db.session.rollback()
            continue
        added += 1
    assert added == 4
    assert text_of(office.get("/office/?lang=en")).count("/office/applications/") >= 5
    many = statements_for(office, "/office/?lang=en")
    assert len(many) == len(one), (one, many)
    [listing] = [s for s in many if "FROM application" in s]
    assert listing
