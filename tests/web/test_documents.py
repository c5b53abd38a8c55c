"""Uploaded documents are kept in the database (every app server serves them, a backup holds
them, a deleted draft leaves none), and what one person may store is capped: files per
application (limits.DOCUMENTS_PER_APPLICATION) and per person within 24 hours, deleted ones
included (limits.UPLOADS_PER_PERSON_PER_DAY), also when the uploads arrive at once."""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa

from demo_registries.models import drop_tables
from portal.core.models import Application, HousingDocument
from portal.domain import limits
from portal.extensions import db
from tests.web.helpers import iin, sign_in
from tests.web.housing_helpers import PDF, _file, new_housing_draft

pytestmark = pytest.mark.usefixtures("seeded")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    """Where files went before: nothing may be written there any more."""
    folder = tmp_path / "uploads"
    app.config["HOUSING_UPLOAD_DIR"] = str(folder)
    return folder


def _at_conclusion(client, key: str = "emergency") -> str:
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin(key)})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "emergency"})
    return base


def _upload(client, base: str, content: bytes = PDF, name: str = "c.pdf", lang: str = ""):
    query = f"?lang={lang}" if lang else ""
    return client.post(f"{base}/conclusion{query}", data={"file": (_file(content), name)},
                       content_type="multipart/form-data")


def _documents(base: str) -> list[HousingDocument]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(HousingDocument).where(
        HousingDocument.application_id == int(base.rsplit("/", 1)[1]))))


def _download_links(client, base: str) -> list[str]:
    page = client.get(f"{base}/conclusion").get_data(as_text=True)
    return re.findall(r'href="(/housing/\d+/documents/\d+)"', page)


def test_documents_are_kept_in_the_database_and_every_server_serves_them(
        client, app, app_config, uploads, tmp_path):
    from portal import create_app
    from portal.core.models import HousingDocumentContent

    sign_in(client, "emergency")
    base = _at_conclusion(client)
    assert _upload(client, base).status_code == 303
    assert not uploads.exists() or list(uploads.iterdir()) == []  # nothing on this disk
    (document,) = _documents(base)
    assert db.session.get(HousingDocumentContent, document.id).content == PDF

    # The other app server: the same database, its own (empty) disk.
    other = create_app({**app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "elsewhere")})
    with client.session_transaction() as session:
        cookie_session = dict(session)
    other_client = other.test_client()
    with other_client.session_transaction() as session:
        session.update(cookie_session)
    (link,) = _download_links(client, base)
    try:
        with other_client.get(link) as response:
            assert response.status_code == 200 and response.data == PDF
            assert response.headers["Content-Disposition"].startswith("attachment")
    finally:
        with other.app_context():
            db.engine.dispose()


def test_an_application_holds_at_most_documents_per_application(client):
    sign_in(client, "emergency")
    base = _at_conclusion(client)
    for _ in range(limits.DOCUMENTS_PER_APPLICATION):
        assert _upload(client, base).status_code == 303
    refused = _upload(client, base, lang="ru")
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert f"Файлов в заявлении уже {limits.DOCUMENTS_PER_APPLICATION}" in text
    assert len(_documents(base)) == limits.DOCUMENTS_PER_APPLICATION
    # removing one makes room again
    first = _download_links(client, base)[0]
    assert client.post(f"{first}/delete").status_code == 303
    assert _upload(client, base).status_code == 303


def test_a_person_sends_at_most_uploads_per_person_per_day_deleted_ones_included(client,
                                                                                clock):
    sign_in(client, "emergency")
    base = _at_conclusion(client)
    for _ in range(limits.UPLOADS_PER_PERSON_PER_DAY):
        assert _upload(client, base, PNG, "p.png").status_code == 303
        (link,) = _download_links(client, base)
        assert client.post(f"{link}/delete").status_code == 303
    other_draft = _at_conclusion(client)  # a new draft is no way around it
    refused = _upload(client, other_draft, lang="en")
    assert refused.status_code == 200
    assert (f"You have sent {limits.UPLOADS_PER_PERSON_PER_DAY} files in the last 24 hours"
            in refused.get_data(as_text=True))
    assert _documents(other_draft) == []
    clock.advance(hours=24)
    sign_in(client, "emergency")  # the session did not wait a day
    assert _upload(client, other_draft).status_code == 303


def test_uploads_sent_at_once_do_not_pass_the_application_cap_together(app, client):
    sign_in(client, "emergency")
    base = _at_conclusion(client)
    for _ in range(limits.DOCUMENTS_PER_APPLICATION - 1):
        assert _upload(client, base).status_code == 303
    tabs = 4
    with client.session_transaction() as session:
        cookie_session = dict(session)
    clients = []
    for _ in range(tabs):
        tab = app.test_client()
        with tab.session_transaction() as session:
            session.update(cookie_session)
        clients.append(tab)
    barrier = threading.Barrier(tabs)
    statuses = [0] * tabs

    def run(i: int):
        with app.app_context():
            barrier.wait()
            statuses[i] = _upload(clients[i], base).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(tabs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [200] * (tabs - 1) + [303]
    assert len(_documents(base)) == limits.DOCUMENTS_PER_APPLICATION


def test_deleting_the_draft_leaves_no_document_bytes(client):
    from portal.core.models import HousingDocumentContent

    sign_in(client, "emergency")
    base = _at_conclusion(client)
    assert _upload(client, base).status_code == 303
    assert client.post(f"{base}/delete").status_code == 303
    db.session.expire_all()
    assert db.session.get(Application, int(base.rsplit("/", 1)[1])) is None
    for model in (HousingDocument, HousingDocumentContent):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_the_migration_copies_in_the_files_this_server_had(app_config, tmp_path):
    """Files uploaded before documents moved into the database: copied in from the disk."""
    from portal import create_app
    from portal.core.models import HousingDocumentContent

    folder = tmp_path / "old-uploads"
    folder.mkdir()
    (folder / "0123abcd.pdf").write_bytes(PDF)
    app = create_app({**app_config, "HOUSING_UPLOAD_DIR": str(folder)})
    with app.app_context():
        drop_tables()  # the demo registries' own tables: revision c5d6e7f8a9b0 still makes them
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        runner = app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade", "c5d6e7f8a9b0"]).exit_code == 0
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO application (id, service, status, applicant_iin, data, "
                "status_token, channel, created_at, updated_at) VALUES (7, 'housing', 'draft', "
                "'900101300017', '{}', 't7', 'portal', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            for doc_id, name in ((1, "0123abcd.pdf"), (2, "gone.pdf")):
                conn.execute(sa.text(
                    "INSERT INTO housing_document (id, application_id, kind, stored_name, "
                    "original_name, mime, size, uploaded_at) VALUES (:id, 7, 'conclusion', "
                    ":name, 'c.pdf', 'application/pdf', 10, CURRENT_TIMESTAMP)"),
                    {"id": doc_id, "name": name})
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        copied = {row.document_id: row.content
                  for row in db.session.scalars(sa.select(HousingDocumentContent))}
        assert copied == {1: PDF}  # the file this server did not have stays without bytes
        db.session.rollback()
        assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()


def test_an_objection_whose_file_is_over_the_cap_is_not_sent_and_keeps_its_text(client):
    from portal.core.models import AuditEvent
    from portal.housing.services import documents
    from tests.web.housing_helpers import submit, walk

    base = walk(client, "sold_recently", settlement="astana")
    submit(client, base, "sold_recently")
    for _ in range(limits.UPLOADS_PER_PERSON_PER_DAY):  # a day's files sent already
        db.session.add(AuditEvent(kind=documents.UPLOADED, iin=iin("sold_recently")))
    db.session.commit()
    page = client.post(f"{base}/objection?lang=kk",
                       data={"text": "Мен оны әкімдікке саттым",
                             "file": (_file(PDF), "contract.pdf")},
                       content_type="multipart/form-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Мен оны әкімдікке саттым" in html  # what was typed is still in the form
    assert f"Соңғы 24 сағатта сіз {limits.UPLOADS_PER_PERSON_PER_DAY} файл жібердіңіз" in html
    db.session.expire_all()
    application = db.session.get(Application, int(base.rsplit("/", 1)[1]))
    assert "objections" not in application.data
    assert application.events[-1].note != "objection sent"
    assert _documents(base) == []
