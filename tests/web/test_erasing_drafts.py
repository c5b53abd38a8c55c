"""Erasing a draft erases everything that hangs off it (SPEC §3 "nothing of one visitor is left
for the next"): a draft that reached signing (an ЭЦП challenge from its check page, an SMS
signing code) is erased by the kiosk's Finish and idle reset, and deleted by its citizen, with
its challenges, codes, documents and events. The kiosk's reset ends the visit even when erasing
fails; a signed application is never deleted."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.core.models import (
    AppStatus,
    HousingDocument,
    OneTimeCode,
    Signature,
    SigningChallenge,
    StatusEvent,
)
from portal.extensions import db
from tests.web.helpers import application_at, fill_draft, iin, sign_and_submit, sign_in
from tests.web.housing_helpers import PDF, _file, new_housing_draft, walk
from tests.web.test_ecp_web import app_config, pki  # noqa: F401  (ЭЦП on: check pages issue nonces)
from tests.web.test_kiosk import enrol

pytestmark = pytest.mark.usefixtures("seeded", "pki")


def _residence_check(client) -> str:
    """A residence draft whose check page was opened: it holds an ЭЦП challenge."""
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert client.get(f"{base}/check").status_code == 200
    return base


def _residence_code(client) -> str:
    """... and one whose applicant was sent the SMS signing code as well."""
    base = _residence_check(client)
    assert client.post(f"{base}/sign").status_code == 303
    return base


def _housing_sign_page(client) -> str:
    """A housing draft at its code page: an SMS signing code and an ЭЦП challenge."""
    base = walk(client, "no_housing")
    assert client.get(f"{base}/check").status_code == 200
    assert client.post(f"{base}/send-code").status_code == 303
    assert client.get(f"{base}/sign").status_code == 200
    return base


REACHED_SIGNING = {"residence_check": _residence_check, "residence_code": _residence_code,
                   "housing_code": _housing_sign_page}


def _app_id(base: str) -> int:
    return int(base.rsplit("/", 1)[1])


def _left_of(app_id: int) -> dict[str, int]:
    """Rows still pointing at the application, by table."""
    db.session.expire_all()
    counts = {}
    for model in (SigningChallenge, OneTimeCode, StatusEvent, HousingDocument):
        counts[model.__tablename__] = db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.application_id == app_id))
    return {name: n for name, n in counts.items() if n}


def _reached_signing(base: str) -> None:
    """Something of signing hangs off the draft: an ЭЦП challenge or an SMS code. (At a kiosk
    ЭЦП is never offered, so its check page issues no challenge: a code is what is left.)"""
    app_id = _app_id(base)
    assert sum(db.session.scalar(sa.select(sa.func.count()).select_from(model).where(
        model.application_id == app_id)) for model in (SigningChallenge, OneTimeCode)) >= 1


@pytest.fixture
def kiosk(client, runner):
    enrol(client, runner)
    return client


# --- 1. the kiosk -----------------------------------------------------------------------------

@pytest.mark.parametrize("reach", [r for r in REACHED_SIGNING if r != "residence_check"])
def test_finish_at_the_kiosk_erases_a_draft_that_reached_signing(kiosk, reach):
    base = REACHED_SIGNING[reach](kiosk)
    _reached_signing(base)
    response = kiosk.post("/kiosk/finish")
    assert response.status_code == 303 and response.location.endswith("/kiosk/")
    assert "cache" in response.headers["Clear-Site-Data"]
    assert application_at(base) is None
    assert _left_of(_app_id(base)) == {}
    assert kiosk.get("/cabinet").status_code == 302  # the next visitor is nobody


@pytest.mark.parametrize("reach", REACHED_SIGNING)
def test_the_idle_reset_erases_a_draft_that_reached_signing(kiosk, clock, reach):
    base = REACHED_SIGNING[reach](kiosk)
    clock.advance(seconds=90)
    assert kiosk.get("/kiosk/").status_code == 200  # the attract screen, not a 500
    assert kiosk.get("/cabinet").status_code == 302
    assert application_at(base) is None and _left_of(_app_id(base)) == {}


@pytest.mark.parametrize("path", ["/kiosk/finish", "/kiosk/reset"])
def test_the_kiosk_ends_the_visit_even_when_erasing_fails(kiosk, monkeypatch, path):
    base = _residence_code(kiosk)

    from portal.core.services import drafts

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("DELETE", {}, Exception("the database said no"))

    monkeypatch.setattr(drafts, "erase_unsigned_of", broken)
    response = kiosk.post(path)
    assert response.status_code == 303 and "cache" in response.headers["Clear-Site-Data"]
    assert kiosk.get("/cabinet").status_code == 302
    assert kiosk.get("/kiosk/").status_code == 200
    assert application_at(base) is not None  # left for the periodic job, never a session


def test_the_periodic_job_erases_kiosk_drafts_a_visit_left_behind(kiosk, seeded, runner,
                                                                  clock, monkeypatch):
    from kiosk.devices import ABANDONED_AFTER
    from portal.core.services import drafts

    at_home = seeded.test_client()
    sign_in(at_home, "owner_self")
    own = fill_draft(at_home, iin("owner_self"), "Абай 150 12")  # the portal's: never swept
    left_behind = _residence_code(kiosk)
    with monkeypatch.context() as patched:
        patched.setattr(drafts, "erase_unsigned_of", lambda *a, **k: 1 / 0)
        assert kiosk.post("/kiosk/finish").status_code == 303
    clock.advance(seconds=ABANDONED_AFTER.total_seconds() - 1)
    assert "abandoned kiosk drafts erased: 0" in runner.invoke(args=["jobs", "run"]).output
    assert application_at(left_behind) is not None
    clock.advance(seconds=2)
    assert "abandoned kiosk drafts erased: 1" in runner.invoke(args=["jobs", "run"]).output
    assert application_at(left_behind) is None and _left_of(_app_id(left_behind)) == {}
    assert application_at(own) is not None


def test_the_idle_reset_ends_the_visit_even_when_erasing_fails(kiosk, clock, monkeypatch):
    from portal.core.services import drafts

    _residence_code(kiosk)
    monkeypatch.setattr(drafts, "erase_unsigned_of", lambda *a, **k: 1 / 0)
    clock.advance(seconds=90)
    assert kiosk.get("/kiosk/").status_code == 200
    assert kiosk.get("/cabinet").status_code == 302


def test_everything_that_refers_to_an_application_goes_with_its_draft():
    """A table added later with a key onto application.id must cascade, or be erased first
    by portal.core.services.drafts; only the signature keeps its application from being deleted."""
    from portal.core.services import drafts

    erased_first = {model.__tablename__ for model in drafts.CHILDREN}
    left = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != "application":
                continue
            if fk.ondelete in ("CASCADE", "SET NULL") or table.name in erased_first:
                continue
            left.append(table.name)
    assert left == ["signature"]


# --- 2. the citizen ---------------------------------------------------------------------------

@pytest.mark.parametrize("reach", REACHED_SIGNING)
def test_a_citizen_deletes_a_draft_that_reached_signing(client, reach):
    base = REACHED_SIGNING[reach](client)
    _reached_signing(base)
    response = client.post(f"{base}/delete")
    assert response.status_code == 303
    assert application_at(base) is None and _left_of(_app_id(base)) == {}


def test_a_signed_application_is_never_deleted(client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert sign_and_submit(client, base, "owner_self").status_code == 303
    from portal.core.services import drafts

    application = application_at(base)
    assert drafts.erase(application) is False
    assert drafts.erase_unsigned_of(iin("owner_self"), channel="portal") == 0
    assert application_at(base).status == AppStatus.REGISTERED


def test_erasing_deletes_only_drafts_even_when_the_status_changed_meanwhile(client):
    """The object in hand may be stale: the conditional DELETE looks at the row."""
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    from portal.core.services import drafts

    stale = application_at(base)
    db.session.expunge(stale)  # as another request loaded it: never refreshed
    db.session.rollback()
    assert sign_and_submit(client, base, "owner_self").status_code == 303
    assert stale.status == AppStatus.DRAFT  # what this session still believes
    assert drafts.erase(stale) is False
    assert application_at(base).status == AppStatus.REGISTERED


# --- 8. documents -----------------------------------------------------------------------------

def test_deleting_a_housing_draft_leaves_no_document(client):
    sign_in(client, "emergency")
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin("emergency")})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "emergency"})
    assert client.post(f"{base}/conclusion", data={"file": (_file(PDF), "c.pdf")},
                       content_type="multipart/form-data").status_code == 303
    assert _left_of(_app_id(base)) == {"housing_document": 1}
    assert client.post(f"{base}/delete").status_code == 303
    assert application_at(base) is None and _left_of(_app_id(base)) == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HousingDocument)) == 0


def test_deleting_a_draft_signed_meanwhile_says_so(client, monkeypatch):
    from portal.core.services import drafts

    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    monkeypatch.setattr(drafts, "erase", lambda application: False)  # the other tab won
    response = client.post(f"{base}/delete?lang=en", follow_redirects=True)
    assert "already been submitted" in response.get_data(as_text=True)
    assert "has been deleted" not in response.get_data(as_text=True)


def _residence_at_signing(client) -> tuple[str, str]:
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert client.post(f"{base}/sign").status_code == 303
    return base, "owner_self"


def _housing_at_signing(client) -> tuple[str, str]:
    base = walk(client, "no_housing")
    assert client.post(f"{base}/send-code").status_code == 303
    return base, "no_housing"


@pytest.mark.parametrize(("at_signing", "lang", "gone"), [
    (_residence_at_signing, "ru", "Этого заявления больше нет"),
    (_housing_at_signing, "kk", "Бұл өтініш енді жоқ"),  # the housing list's submission.submit
], ids=["residence", "housing"])
def test_a_draft_deleted_in_another_tab_while_its_code_is_checked_is_no_500(
        app, client, monkeypatch, at_signing, lang, gone):
    """The other tab's delete commits just before this tab's code is checked."""
    from portal.core.models import Application
    from portal.core.services import codes, drafts
    from tests.web.helpers import code_in, last_sms, phone_of

    base, person = at_signing(client)
    code = code_in(last_sms(phone_of(person)))
    real_check = codes.check

    def deleted_first(row, entered, ip=None):
        with app.app_context():  # the other tab: its own session
            assert drafts.erase(db.session.get(Application, _app_id(base)))
        return real_check(row, entered, ip)

    monkeypatch.setattr(codes, "check", deleted_first)
    response = client.post(f"{base}/submit?lang={lang}", data={"code": code})
    assert response.status_code == 404
    assert gone in response.get_data(as_text=True)
    assert application_at(base) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0
