"""Who and where an application names are kept on it at submission, and the signed-in
citizen's given name in the session at sign-in, so "My applications" and the status page ask
the registries nothing on a read (issue #24): they show what was applied for, in each language."""

from __future__ import annotations

import sqlalchemy as sa

from demo_registries.models import RegPerson
from portal.core.citizens import NAME
from portal.extensions import db
from tests.web.helpers import application_at, fill_draft, iin, sign_and_submit, sign_in
from tests.web.pages import parse, text_of


def _submitted(client) -> str:
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert sign_and_submit(client, base, "owner_self").status_code == 303
    return base


def _rename(key: str, surname: str) -> None:
    db.session.execute(sa.update(RegPerson).where(RegPerson.iin == iin(key))
                       .values(surname=surname))
    db.session.commit()


def test_the_cabinet_shows_who_and_where_as_submitted_in_each_language(seeded, client):
    base = _submitted(client)
    named = application_at(base).data["named"]
    assert "Жұмабаев" in named["person"] and set(named["address"]) == {"kk", "ru", "en"}
    _rename("owner_self", "Renamed")  # the registry changes after submission
    for lang in ("kk", "ru", "en"):
        page = text_of(parse(client.get(f"/cabinet?lang={lang}")))
        assert named["address"][lang] in page and "Жұмабаев" in page and "Renamed" not in page
    assert named["address"]["ru"] != named["address"]["kk"]  # each in its own language


def test_the_status_page_shows_the_applicant_what_was_submitted_and_others_nothing(
        seeded, client, app):
    base = _submitted(client)
    application = application_at(base)
    _rename("owner_self", "Renamed")
    own = text_of(parse(client.get(f"/s/{application.status_token}?lang=en")))
    assert "Жұмабаев" in own and application.data["named"]["address"]["en"] in own
    other = text_of(parse(app.test_client().get(f"/s/{application.status_token}?lang=en")))
    assert "Жұмабаев" not in other and application.data["named"]["address"]["en"] not in other


def test_an_application_submitted_before_names_were_kept_asks_the_registries(seeded, client):
    base = _submitted(client)
    application = application_at(base)
    application.data = {k: v for k, v in application.data.items() if k != "named"}
    db.session.commit()
    _rename("owner_self", "Renamed")
    assert "Renamed" in text_of(parse(client.get("/cabinet?lang=en")))


def test_the_greeting_comes_from_the_session_kept_at_sign_in(seeded, client):
    sign_in(client, "owner_self")
    with client.session_transaction() as session:
        assert session[NAME] == "Асқар"
    _rename("owner_self", "Renamed")
    assert "Hello, Асқар." in text_of(parse(client.get("/cabinet?lang=en")))


def test_a_session_begun_before_the_name_was_kept_gets_it_from_the_registry(seeded, client):
    sign_in(client, "owner_self")
    with client.session_transaction() as session:
        del session[NAME]
    assert "Hello, Асқар." in text_of(parse(client.get("/cabinet?lang=en")))
    with client.session_transaction() as session:
        assert session[NAME] == "Асқар"
