"""Bad input never gets a 500, and loses or duplicates nothing.

Hypothesis sends odd requests to every route of app.url_map (every method; each URL variable
gets real ids and tokens and hostile values; the form fields are every field of every form
class the portal has, plus the few names views read themselves, with their real choices and
hostile values), as form fields, multipart parts (text and file), JSON bodies and raw bytes,
from an anonymous visitor, a residence applicant with a draft and a submitted application, a
housing applicant with a draft (and its expert's conclusion), another with a submitted case,
a member of the office staff, and an enrolled kiosk. Every answer must be below 500, and after
each request the registries, the submitted applications and the consent request are all still
there, and an application was added only by a journey's POST /new (exactly one when it answers
303) and removed only by its POST /<id>/delete (at most one, a draft).

Deterministic (derandomize) and bounded (EXAMPLES_PER_ROUTE, some 15-40 seconds), on SQLite and on
PostgreSQL (`make test-postgres`). /sms/inbound is left out here: its own tests cover its
body. The fixed cases the fuzzer first found are pinned as plain tests below it.
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo_registries.models import RegAddress, RegPerson
from demo_registries.seed import DEMO_PEOPLE
from portal.core.models import Application, ConsentRequest
from portal.core.models.housing import HousingDocument
from portal.core.registries.settlements import SETTLEMENTS
from portal.core.services.catalogue import catalogue
from portal.domain.housing.categories import CATEGORIES
from portal.extensions import db, limiter
from tests.web.helpers import (
    application_at,
    fill_draft,
    iin,
    last_sms,
    new_draft,
    phone_of,
    sign_and_submit,
    sign_in,
)
from tests.web.housing_helpers import submit, walk
from tests.web.office_helpers import make_staff, staff_sign_in
from tests.web.test_ecp_web import app_config, pki  # noqa: F401  (ЭЦП on: its routes answer)
from tests.web.test_kiosk import add_kiosk, enrol

LEFT_OUT = {"static", "consent.inbound_sms"}
# Names views read from the form or the query string themselves (not through a form class),
# and one nobody reads.
READ_BY_VIEWS = ["action", "continue", "decision", "q", "application", "phone", "next",
                 "return_to", "lang", "csrf_token", "x"]
# Who sends a request: those with applications of their own more often (their ids reach the
# forms; anyone else's is a 404 before a form is read).
VISITORS = ["anonymous", "kiosk"] + ["signed_in", "housing", "filer", "staff"] * 2
SIGN_OUTS = {"auth.sign_out", "office.sign_out"}  # drawn as the anonymous visitor's
EXAMPLES_PER_ROUTE = 12  # x ~105 routes and methods: about 1,300 requests, bounded
ARGUMENT = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def _form_classes(cls=FlaskForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _form_classes(sub)


def _choice_values(choices) -> list[str]:
    values = []
    for choice in choices or ():
        value = choice[0] if isinstance(choice, tuple | list) else getattr(choice, "value", None)
        if value is not None:
            values.append(str(value))
    return values


def form_fields() -> tuple[list[str], list[str]]:
    """Every field name of every form class the app defines, and their fixed choices."""
    names, choices = set(READ_BY_VIEWS), set()
    for form in _form_classes():
        for name in dir(form):
            unbound = getattr(form, name, None)
            if hasattr(unbound, "field_class"):
                names.add(name)
                choices.update(_choice_values(unbound.kwargs.get("choices")))
    return sorted(names), sorted(choices)


@pytest.fixture
def world(seeded, client, app, runner, tmp_path):
    """A signed-in applicant with a submitted application (waiting for an owner) and a draft;
    a housing applicant with a draft and its conclusion, another with a submitted case; the
    office; an enrolled kiosk; an anonymous visitor; the real ids and tokens, so fuzzed
    requests reach the forms."""
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")
    sign_in(client, "one_owner_applicant")
    base = fill_draft(client, iin("one_owner_applicant"), "Төле би 59 34")
    sign_and_submit(client, base, "one_owner_applicant")
    submitted = application_at(base)
    link = re.search(r"/c/(\S+)", last_sms(phone_of("single_owner")).body).group(1)
    draft_url = new_draft(client)
    client.post(f"{draft_url}/who", data={"person": iin("one_owner_applicant")})
    draft = int(draft_url.rsplit("/", 1)[1])

    filer = app.test_client()
    filed_base = walk(filer, "emergency", case="emergency")
    assert submit(filer, filed_base, "emergency").status_code == 303
    filed = application_at(filed_base)
    housing = app.test_client()
    housing_draft = application_at(walk(housing, "no_housing", case="emergency"))

    staff = app.test_client()
    make_staff(settlements=list(SETTLEMENTS))
    staff_sign_in(staff)
    kiosk = app.test_client()
    enrol(kiosk, runner)

    documents = db.session.scalars(sa.select(HousingDocument.id)).all()
    def documents_of(application):
        return [str(i) for i in db.session.scalars(sa.select(HousingDocument.id).where(
            HousingDocument.application_id == application.id))]
    names, choices = form_fields()
    return {
        "signed_in": client, "anonymous": app.test_client(), "housing": housing,
        "filer": filer, "staff": staff, "kiosk": kiosk,
        "app_id": [str(i) for i in (submitted.id, draft, filed.id, housing_draft.id)],
        "doc_id": [str(i) for i in documents], "document_id": [str(i) for i in documents],
        "index": ["0", "1"],
        "token": [submitted.status_token, link, filed.status_token,
                  add_kiosk(runner, "ЦОН Астана").rsplit("/", 1)[1]],
        "fields": names,
        "plausible": choices + [p["iin"] for p in DEMO_PEOPLE[:6]] + list(SETTLEMENTS)
        + [c.code for c in CATEGORIES] + ["y", "on", "add", "remove", "continue", "1",
                                         "+77011452301", "a@example.kz", "officer1", filed.number],
        "kept": {submitted.id: submitted.status_token, filed.id: filed.status_token},
        # What each visitor's own requests name (their ids reach the forms, not a 404)
        "own": {
            "signed_in": {"app_id": [str(submitted.id), str(draft)]},
            "housing": {"app_id": [str(housing_draft.id)],
                        "doc_id": documents_of(housing_draft)},
            "filer": {"app_id": [str(filed.id)], "doc_id": documents_of(filed)},
            "staff": {"app_id": [str(filed.id)], "document_id": documents_of(filed)},
        },
    }


def _rules(app):
    return sorted(
        ((rule.rule, method, rule.endpoint) for rule in app.url_map.iter_rules()
         if rule.endpoint not in LEFT_OUT
         for method in sorted(rule.methods - {"HEAD", "OPTIONS"})),
    )


hostile = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "%00", "../..", "/\\evil.example", "850314301209", "123456",
                     "agree", "refuse", "other", "check", "ru", "кв", "Абай", "0", "-1",
                     "9" * 30, str(2**31), str(2**63), " ".join(["Абай"] * 1200),
                     "<script>alert(1)</script>", "' OR 1=1 --", "1e309", "NaN", "\ud800"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
json_scalars = st.one_of(st.integers(), st.none(), st.booleans(), st.lists(st.integers(),
                                                                         max_size=2))


def _quote(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _query(params: dict) -> str:
    encoded = {k: v.encode("utf-8", "surrogatepass") for k, v in params.items()}
    return urlencode(encoded)


@st.composite
def requests(draw, route, world):
    rule, method, endpoint = route
    who = "anonymous" if endpoint in SIGN_OUTS else draw(st.sampled_from(VISITORS))
    values = st.one_of(st.sampled_from(world["plausible"]), hostile)
    fields = st.dictionaries(st.sampled_from(world["fields"]), values, max_size=5)
    own = world["own"].get(who, {})

    def argument(match):
        name = match.group(1)
        real = world.get(name, [])
        choices = [st.sampled_from(real)] if real else []
        if own.get(name):  # mostly their own: a stranger's id is a 404 before any form
            choices = [st.sampled_from(own[name])] * 3 + choices
        return _quote(draw(st.one_of(*choices, hostile)))

    path = ARGUMENT.sub(argument, rule)
    query = draw(fields)
    if query:
        path += "?" + _query(query)
    kwargs = {}
    if method != "GET":
        kind = draw(st.sampled_from(["form", "multipart", "file", "json", "raw", "none"]))
        data = draw(fields)
        if kind == "form":
            kwargs["data"] = _query(data)
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        elif kind in ("multipart", "file"):
            kwargs["data"] = {
                k: ((io.BytesIO(v.encode("utf-8", "surrogatepass")), "f.pdf")
                    if kind == "file" else v.encode("utf-8", "surrogatepass"))
                for k, v in data.items()}
            kwargs["content_type"] = "multipart/form-data"
        elif kind == "json":
            body = draw(st.one_of(st.just([1, 2]), st.just(5), st.just("x"), st.none(),
                                  st.dictionaries(st.sampled_from(world["fields"]),
                                                  st.one_of(values, json_scalars), max_size=3)))
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif kind == "raw":
            kwargs["data"] = draw(st.binary(max_size=64))
            kwargs["content_type"] = draw(st.sampled_from(
                ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "application/json", "text/plain"]))
    return who, method, path, endpoint, kwargs


def _counts() -> dict:
    db.session.expire_all()
    return {model: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Application, ConsentRequest, RegPerson, RegAddress)}


def test_no_odd_request_gets_a_500_or_loses_a_record(app, world):
    creates = {(d.start_endpoint.rsplit(".", 1)[0] + ".new", True): {1} for d in catalogue}
    deletes = {(d.delete_endpoint, True): {0, -1} for d in catalogue}
    allowed = {**creates, **deletes}

    def check(request):
        who, method, path, endpoint, kwargs = request
        limiter.reset()
        before = _counts()
        response = world[who].open(path, method=method, **kwargs)
        response.close()  # a document's download holds its file open until then
        assert response.status_code < 500, (who, method, path, kwargs, response.status_code)
        after = _counts()
        db.session.rollback()
        added = after[Application] - before[Application]
        done = response.status_code == 303
        assert added in allowed.get((endpoint, done), {0}), (who, method, path, added)
        assert after[ConsentRequest] == before[ConsentRequest]
        assert after[RegPerson] == before[RegPerson] and after[RegAddress] == before[RegAddress]
        for kept_id, token in world["kept"].items():
            kept = db.session.get(Application, kept_id)
            assert kept is not None and kept.status_token == token

    # Route by route, so every route and method gets its share (one draw over all of them
    # would leave some out).
    for route in _rules(app):
        settings(max_examples=EXAMPLES_PER_ROUTE, derandomize=True, deadline=None,
                 database=None, suppress_health_check=list(HealthCheck))(
            given(requests(route, world))(check))()


# --- What the fuzzer found, pinned ----------------------------------------------------------


def test_a_text_field_sent_as_a_file_part_is_a_400_not_a_500(seeded, client):
    response = client.post("/sign-in?lang=en", data={"iin": (io.BytesIO(b"850314301209"), "a")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [[1, 2], 5, {"iin": ["850314301209"]}, {"iin": 5}])
def test_a_json_body_to_a_form_route_is_a_400_not_a_500(seeded, client, body):
    response = client.post("/sign-in", json=body)
    assert response.status_code == 400


def test_a_json_body_to_a_residence_step_is_a_400(world):
    client = world["signed_in"]
    response = client.post(f"/residence/{world['app_id'][1]}/who", json=[1, 2])
    assert response.status_code == 400


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_a_route_id_beyond_the_database_integer_is_a_404(world, number):
    client = world["signed_in"]
    assert client.get(f"/residence/{number}/who").status_code == 404
    assert client.post(f"/residence/{number}/delete").status_code == 404
    assert client.get(f"/residence/{2**31 - 1}/who").status_code == 404  # the largest: no row


@pytest.mark.parametrize("path", ["/s/%00", "/c/%00", "/s/abc%00def", "/s/%00/qr.svg",
                                  "/c/%01"])
def test_a_control_character_in_a_token_is_a_404(seeded, client, path):
    assert client.get(path).status_code == 404
    if path.startswith("/c/"):
        assert client.post(path, data={"decision": "agree", "code": "123456"}).status_code == 404


def test_an_address_search_of_a_thousand_words_answers(world):
    client = world["signed_in"]
    words = " ".join(["Абай"] * 1200 + ["150"])
    response = client.get(f"/residence/{world['app_id'][1]}/address?" + urlencode({"q": words}))
    assert response.status_code == 200


def test_the_address_search_reads_a_few_words_only(seeded):
    from demo_registries.local import MAX_QUERY_WORDS
    from portal.core.registries import registries

    assert registries().search_addresses("Абай 150 12")
    # Repeated words count once; words past the cap are not used.
    padded = "Абай 150 12" + " Абай" * 1000
    assert registries().search_addresses(padded) == registries().search_addresses("Абай 150 12")
    beyond = "Абай 150 12 " + " ".join(f"w{i}" for i in range(MAX_QUERY_WORDS + 20))
    registries().search_addresses(beyond)  # answers (nothing matches), no error


def test_a_nul_in_a_form_field_is_a_400_not_a_500(world, app):
    """PostgreSQL refuses a NUL in text (and in JSON): the free-text reason reached it."""
    client = app.test_client()  # world's applicant waits for an owner: rule 6 stops a second
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    response = client.post(f"{base}/reason?lang=en", data={"reason": "other", "other": "a\x00b"})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)
    assert client.post(f"{base}/reason", data={"reason": "other", "other": "ab"}
                       ).status_code == 303


@pytest.mark.parametrize("query", ["q=%00%D0%90%D0%B1%D0%B0%D0%B9", "lang=%00", "next=%00"])
def test_a_nul_in_the_query_string_is_a_400(world, query):
    response = world["signed_in"].get(f"/residence/{world['app_id'][1]}/address?{query}")
    assert response.status_code == 400


# --- Found by the fuzzer: a draft that reached signing is deleted with all that hangs off it --


def test_deleting_a_housing_draft_with_an_uploaded_conclusion_is_no_500(seeded, app, client,
                                                                       tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    base = walk(client, "no_housing", case="emergency")
    assert client.post(f"{base}/delete").status_code == 303
    assert application_at(base) is None


def test_deleting_a_draft_sent_its_signing_code_is_no_500(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert client.post(f"{base}/sign").status_code == 303
    assert client.post(f"{base}/delete").status_code == 303
    assert application_at(base) is None


def test_deleting_a_draft_whose_ecp_page_was_opened_is_no_500(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert client.get(f"/applications/{base.rsplit('/', 1)[1]}/ecp").status_code == 200
    assert client.post(f"{base}/delete").status_code == 303
    assert application_at(base) is None
