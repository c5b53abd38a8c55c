"""The category can be corrected after registration [002 p.9]: once the authority has
corrected its data the applicant asks for a re-check; a confirmed category moves the entry to
its list with the original date; supporting files are taken where the catalogue says the
category needs them (`needs_supporting_data`)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.core.models import AppStatus
from portal.core.models.housing import HousingDocument
from portal.extensions import db as _db
from portal.housing.services import housing_queue
from tests.web.helpers import iin
from tests.web.housing_helpers import PDF, _file, submit, walk
from tests.web.pages import LANGS, check_page
from tests.web.test_office_decisions import app_id_of, fresh, text_of

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def confirm(person_iin: str, code: str) -> None:
    from demo_registries.models import RegHousingPerson

    row = _db.session.get(RegHousingPerson, person_iin)
    if row is None:
        row = RegHousingPerson(iin=person_iin, confirmed_categories=code)
        _db.session.add(row)
    else:
        row.confirmed_categories = (row.confirmed_categories + " " + code).strip()
    _db.session.commit()


def test_a_corrected_category_moves_the_entry_with_its_original_date(app, client):
    base = walk(client, "no_housing", category="disabled")
    assert submit(client, base, "no_housing").status_code == 303
    app_id = app_id_of(base)
    entry = housing_queue.entry_of(fresh(app_id))
    assert fresh(app_id).status == AppStatus.IN_QUEUE and entry.list_code == "general"
    submitted = entry.submitted_at
    for lang in LANGS:
        check_page(client.get(f"{base}/recheck-category?lang={lang}"), lang)
    # Not confirmed yet: the request is kept, the entry stays.
    assert client.post(f"{base}/recheck-category", data={"category": "disabled"}).status_code == 303
    assert housing_queue.entry_of(fresh(app_id)).list_code == "general"
    assert fresh(app_id).data["category_requests"][0]["outcome"] == "not_confirmed"
    # The authority corrects its data: the entry moves, with the date of the application.
    confirm(iin("no_housing"), "disabled")
    response = client.post(f"{base}/recheck-category?lang=en", data={"category": "disabled"},
                           follow_redirects=True)
    assert "your entry is moved to its list" in text_of(response)
    _db.session.expire_all()
    moved = housing_queue.entry_of(fresh(app_id))
    assert moved.list_code == "disabled" and moved.submitted_at == submitted
    assert moved.id == entry.id and moved.status == "active"
    data = fresh(app_id).data
    assert data["list_code"] == "disabled" and data["queue_number"] == moved.number
    assert any(e.note.startswith("category re-check: disabled, moved to disabled")
               for e in fresh(app_id).events)


def test_supporting_files_are_taken_where_the_category_needs_them(app, client):
    base = walk(client, "no_housing")
    assert submit(client, base, "no_housing").status_code == 303
    app_id = app_id_of(base)
    response = client.post(f"{base}/recheck-category", data={
        "category": "difficult_situation", "file": (_file(PDF), "certificate.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    kinds = list(_db.session.scalars(sa.select(HousingDocument.kind).where(
        HousingDocument.application_id == app_id)))
    assert kinds == ["category_support"]
    assert fresh(app_id).data["category_requests"][0]["file"] is True
