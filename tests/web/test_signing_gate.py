"""No way of signing skips the wizard (SPEC §1 "The steps"; the hardening issue, item 7).

Every journey has one completeness check (its wizard's `missing`, given to the catalogue as the
ServiceDefinition's `missing_step`), and every way of signing asks it when the request to sign
arrives and again as the draft is submitted: the SMS code, ЭЦП through /applications/<id>/ecp,
and the kiosk (which signs through the same routes).

The meta-test finds the signing routes itself: it posts a good signature (the draft's SMS code
and a good ЭЦП over the draft's text) to every POST route of app.url_map that takes an
application id, first with a complete draft of each journey (a route that submits it is a
signing route of that journey), then with incomplete drafts of each journey. No route submits
an incomplete draft, or spends its code or signature; a signing route sends the applicant to
the step that is missing with a translated message.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from portal.core.models import Application, AppStatus, OneTimeCode, Signature, SigningChallenge
from portal.core.registries import registries
from portal.core.services.catalogue import Incomplete, catalogue
from portal.ecp import signing as ecp_signing
from portal.extensions import db, limiter
from portal.housing.services import documents, housing, housing_sms
from portal.housing.services import submission as housing_submission
from portal.residence.services import submission
from tests.web.helpers import (
    code_in,
    fill_draft,
    iin,
    last_sms,
    new_draft,
    phone_of,
    pick_address,
    sign_in,
    ward_iin,
)
from tests.web.housing_helpers import new_housing_draft, walk
from tests.web.test_ecp_web import app_config, pki, signed  # noqa: F401
from tests.web.test_kiosk import enrol

pytestmark = pytest.mark.usefixtures("seeded")

RESIDENT = "owner_self"  # registers in their own home: no owner to ask
HOUSED = "no_housing"
MESSAGES = {  # the flashed text, as the applicant reads it in each language
    "ru": "Заявление пока нельзя подписать: не хватает ответа.",
    "kk": "Өтінішке әзірге қол қою мүмкін емес: бір жауап жетіспейді.",
    "en": "This application cannot be signed yet: an answer is missing.",
}


# --- drafts of each journey -----------------------------------------------------------------

def _id(base: str) -> int:
    return int(base.rsplit("/", 1)[1])


# Complete drafts that submit at once, a new person each time (rule 6 refuses a repeat):
# (applicant, subject or None for themselves, address).
# The incomplete drafts are RESIDENT's and HOUSED's.
RESIDENTS = [("parent_of_child", "Дильназ", "Қонаев 59 23"), ("guardian", "Сергей", "Ерубаев 35 7"),
             ("parent_of_teen", "Ерасыл", "Сәтпаев 30 45"),
             ("one_owner_applicant", None, "Төле би 59 34")]
HOUSING_APPLICANTS = ["orphan", "large_family", "kandas", "without_care", "almaty_2_years"]


def _residence_complete(client, n: int) -> int:
    key, ward, search = RESIDENTS[n]
    sign_in(client, key)
    return _id(fill_draft(client, ward_iin(key, ward) if ward else iin(key), search))


def _residence_without_reason(client, n: int = 0) -> int:
    sign_in(client, RESIDENT)
    base = new_draft(client)
    assert client.post(f"{base}/who", data={"person": iin(RESIDENT)}).status_code == 303
    assert pick_address(client, base, "Абай 150 12").status_code == 303
    assert client.post(f"{base}/path").status_code == 303
    return _id(base)


def _housing_complete(client, n: int) -> int:
    return _id(walk(client, HOUSING_APPLICANTS[n]))


def _housing_emergency_without_conclusion(client, n: int = 0) -> int:
    """An emergency case whose expert's conclusion was removed after it was uploaded."""
    base = walk(client, HOUSED, case="emergency")
    draft = db.session.get(Application, _id(base))
    for document in documents.documents_of(draft, "conclusion"):
        assert client.post(f"{base}/documents/{document.id}/delete").status_code == 303
    return draft.id


def _housing_without_settlement(client, n: int = 0) -> int:
    """No settlement, category, family, contacts or consents."""
    sign_in(client, HOUSED)
    base = new_housing_draft(client)
    assert client.post(f"{base}/who", data={"person": iin(HOUSED)}).status_code == 303
    assert client.get(f"{base}/registries").status_code == 200
    assert client.post(f"{base}/registries").status_code == 303
    assert client.post(f"{base}/case", data={"case": "no_housing"}).status_code == 303
    return _id(base)


def _housing_without_consents(client, n: int = 0) -> int:
    return _id(walk(client, HOUSED, consent=False))


COMPLETE = {"residence": _residence_complete, "housing": _housing_complete}
INCOMPLETE = {  # name: (journey, build, the step it must be sent back to)
    "residence without a reason": ("residence", _residence_without_reason, "reason"),
    "housing emergency without a conclusion": ("housing", _housing_emergency_without_conclusion,
                                               "conclusion"),
    "housing without a settlement": ("housing", _housing_without_settlement, "settlement"),
    "housing without consents": ("housing", _housing_without_consents, "consents"),
}


def _at_kiosk(build, runner):
    """The same draft made at an enrolled kiosk in a ЦОН hall (channel "kiosk:...")."""
    def at_kiosk(client, n: int = 0) -> int:
        enrol(client, runner, name=f"ЦОН {build.__name__} {n}")
        draft_id = build(client, n)
        assert _draft(draft_id).channel.startswith("kiosk:")
        return draft_id

    return at_kiosk


def _draft(app_id: int) -> Application | None:
    db.session.expire_all()
    return db.session.get(Application, app_id)


def _signature_payload(app, pki, clock, draft: Application, language="ru") -> dict:  # noqa: F811
    """What a signing page would post for this draft: its SMS code and a good ЭЦП over its
    text as it is now (made through the services: the pages offer neither to an unfinished
    draft)."""
    applicant = registries().person(draft.applicant_iin)
    with app.test_request_context(f"/?lang={language}"), force_locale(language):
        if draft.service == "residence":
            submission.send_signing_code(draft, applicant)
        else:
            housing.send_signing_code(draft, applicant, housing_sms.SIGN)
        challenge = ecp_signing.new_challenge(
            lambda nonce: ecp_signing.application_text(draft, nonce, language),
            application=draft, iin=draft.applicant_iin)
    cms = signed(pki, challenge.text, pki.citizen(draft.applicant_iin), clock)
    return {"code": code_in(last_sms(phone_of(draft.applicant_iin))), "nonce": challenge.nonce,
            "lang": language, "cms": cms}


def _spent(app_id: int) -> dict:
    """Signatures made and codes or ЭЦП challenges used for this draft."""
    return {
        "signatures": db.session.scalar(sa.select(sa.func.count(Signature.id)).where(
            Signature.application_id == app_id)),
        "codes": db.session.scalar(sa.select(sa.func.count(OneTimeCode.id)).where(
            OneTimeCode.application_id == app_id, OneTimeCode.used_at.is_not(None))),
        "challenges": db.session.scalar(sa.select(sa.func.count(SigningChallenge.id)).where(
            SigningChallenge.application_id == app_id,
            SigningChallenge.used_at.is_not(None))),
    }


def _post_rules(app) -> list:
    """Every POST route that takes an application id, from the URL map (none hand-listed),
    but a draft's delete route (the catalogue's delete_endpoint): it deletes, never signs.
    Deleting a draft that was sent a code is the kiosk-erase branch's (a 500 today)."""
    deletes = {definition.delete_endpoint for definition in catalogue}
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "POST" in rule.methods and "app_id" in rule.arguments
                   and rule.endpoint not in deletes),
                  key=lambda rule: rule.endpoint)


def _url(app, rule, app_id: int) -> str:
    values = {name: 1 for name in rule.arguments}  # another id in the path (a document's)
    values["app_id"] = app_id
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(rule.endpoint, values, method="POST")


class Drafts:
    """Drafts kept ready: one is built again when a route deleted it, submitted it or changed
    which step it misses."""

    def __init__(self, app, pki, clock, builders: dict):  # noqa: F811
        self.app, self.pki, self.clock, self.builders = app, pki, clock, builders
        self.ready: dict[str, tuple] = {}
        self.built: dict[str, int] = {}

    def get(self, name: str, expected_missing: str | None):
        draft_id = self.ready.get(name, (None,))[0]
        draft = _draft(draft_id) if draft_id else None
        if draft is None or draft.status != AppStatus.DRAFT or \
                catalogue.of(draft).missing_step(draft) != expected_missing:
            client = self.app.test_client()
            n = self.built[name] = self.built.get(name, -1) + 1
            draft = _draft(self.builders[name](client, n))
            assert catalogue.of(draft).missing_step(draft) == expected_missing, name
            self.ready[name] = (draft.id, client,
                                _signature_payload(self.app, self.pki, self.clock, draft))
        return self.ready[name]


def test_no_signing_route_submits_a_draft_with_a_step_missing(app, pki, clock,  # noqa: F811
                                                              tmp_path, runner):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    rules = _post_rules(app)
    complete = Drafts(app, pki, clock, COMPLETE)
    cases = {**INCOMPLETE, **{
        f"{name}, at a kiosk": (journey, _at_kiosk(build, runner), step)
        for name, (journey, build, step) in INCOMPLETE.items()
        if name in ("residence without a reason", "housing without consents")}}
    incomplete = Drafts(app, pki, clock, {name: build for name, (_, build, _) in
                                          cases.items()})

    signing_routes: dict[str, set[str]] = {journey: set() for journey in COMPLETE}
    for rule in rules:
        for journey in COMPLETE:
            draft_id, client, payload = complete.get(journey, None)
            limiter.reset()
            client.post(_url(app, rule, draft_id), data=payload)
            found = _draft(draft_id)
            if found is not None and found.status != AppStatus.DRAFT:
                signing_routes[journey].add(rule.endpoint)
    for journey, endpoints in signing_routes.items():
        # the SMS code and ЭЦП at least; the kiosk signs through these same routes
        assert "ecp.sign_application" in endpoints and len(endpoints) >= 2, (journey, endpoints)

    for rule in rules:
        for name, (journey, _, step) in cases.items():
            draft_id, client, payload = incomplete.get(name, step)
            before = _spent(draft_id)
            limiter.reset()
            url = _url(app, rule, draft_id)
            response = client.post(f"{url}?lang=ru", data=payload)
            assert response.status_code < 500, (rule.endpoint, name, response.status_code)
            found = _draft(draft_id)
            assert found is not None and found.status == AppStatus.DRAFT, (rule.endpoint, name)
            assert _spent(draft_id) == before, (rule.endpoint, name)  # nothing used up
            if rule.endpoint.startswith("ecp.") and "kiosk" in name:
                # ЭЦП is never offered at a public kiosk: the route is not there.
                assert response.status_code == 404, (rule.endpoint, name)
            elif rule.endpoint in signing_routes[journey]:
                assert response.status_code == 303, (rule.endpoint, name)
                page = client.get(response.location, follow_redirects=True)
                assert page.request.path == f"/{journey}/{draft_id}/{step}", \
                    (rule.endpoint, name, page.request.path)
                assert MESSAGES["ru"] in page.get_data(as_text=True), (rule.endpoint, name)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_missing_step_message_is_translated(app, client, pki, clock, language):  # noqa: F811
    draft_id = _residence_without_reason(client)
    response = client.post(f"/applications/{draft_id}/ecp?lang={language}",
                           data=_signature_payload(app, pki, clock, _draft(draft_id), language))
    assert response.status_code == 303
    page = client.get(response.location, follow_redirects=True)
    assert page.request.path == f"/residence/{draft_id}/reason"
    assert MESSAGES[language] in page.get_data(as_text=True)


def test_the_ecp_page_is_not_offered_for_an_unfinished_draft(client):
    draft_id = _residence_without_reason(client)
    response = client.get(f"/applications/{draft_id}/ecp", follow_redirects=True)
    assert response.request.path == f"/residence/{draft_id}/reason"
    assert "data-ecp-text-b64" not in response.get_data(as_text=True)


def test_submission_itself_refuses_an_unfinished_draft(app, client, tmp_path):
    """The services ask again at the moment of submission, whichever page called them."""
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    residence_draft = _draft(_residence_without_reason(client))
    with app.test_request_context("/"), pytest.raises(Incomplete) as refused:
        submission.submit(residence_draft, registries().person(iin(RESIDENT)))
    assert refused.value.step == "reason"
    assert _draft(residence_draft.id).status == AppStatus.DRAFT

    housing_draft = _draft(_housing_emergency_without_conclusion(app.test_client()))
    with app.test_request_context("/"), pytest.raises(Incomplete) as refused:
        housing_submission.submit_signed_with_ecp(housing_draft, housing_sms.DECISIONS)
    assert refused.value.step == "conclusion"
    db.session.rollback()
    assert _draft(housing_draft.id).status == AppStatus.DRAFT


def test_every_journey_that_signs_has_a_completeness_check():
    from portal.core.services.catalogue import _nothing_missing

    for definition in catalogue:
        if definition.signs_with_ecp and definition.code != "ecptoy":
            assert definition.missing_step is not _nothing_missing, definition.code
