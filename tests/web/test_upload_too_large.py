"""A file over the limit sent to an upload step (issue #21): the step's own page comes back with
the translated error at its file field and everything saved before, never the bare 413 page.
The answer is a 303 to the step's GET (Post/Redirect/Get), so Back and Reload never re-send
the upload ("Confirm form resubmission"). Both ways a body can be too large: a Content-Length
over MAX_CONTENT_LENGTH (refused before the body is read) and a chunked body without one
(refused once it passes the limit)."""

from __future__ import annotations

import io

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wrappers import Response

from portal.core.models import AppStatus
from portal.domain import limits
from tests.web.helpers import iin, sign_in
from tests.web.housing_helpers import PDF, _file, new_housing_draft
from tests.web.pages import LANGS, check_page
from tests.web.test_office_decisions import filed, fresh

pytestmark = pytest.mark.usefixtures("seeded")

TOO_LARGE = b"%PDF-1.4\n" + b"0" * (limits.UPLOAD_MAX_BYTES + 2 * 1024 * 1024)
MESSAGE = "The file is larger than 5 MB, so nothing was sent"


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def _conclusion_step(client) -> tuple[str, dict]:
    """An emergency draft at the conclusion step, one file already attached."""
    sign_in(client, "emergency")
    base = new_housing_draft(client)
    client.post(f"{base}/who", data={"person": iin("emergency")})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "emergency"})
    saved = client.post(f"{base}/conclusion", data={"file": (_file(PDF), "first.pdf")},
                        content_type="multipart/form-data")
    assert saved.status_code == 303
    return f"{base}/conclusion", {}


def _objection_step(client) -> tuple[str, dict]:
    base, app_id = filed(client, "sold_recently", case="no_housing", settlement="astana")
    assert fresh(app_id).status == AppStatus.PRELIMINARY_REFUSAL
    return f"{base}/objection", {"text": "The flat was sold to pay for surgery."}


def _recheck_step(client) -> tuple[str, dict]:
    base, app_id = filed(client, "no_housing", case="no_housing")
    assert fresh(app_id).status == AppStatus.IN_QUEUE
    return f"{base}/recheck-category", {"category": "disabled"}


STEPS = {"conclusion": _conclusion_step, "objection": _objection_step,
         "recheck-category": _recheck_step}


def _send(client, url: str, fields: dict, chunked: bool):
    """The upload as a browser sends it; chunked, as a server hands on a chunked body (no
    length; the stream ends by itself: `wsgi.input_terminated`). The test client would rebuild
    such an environ with a length, so the chunked one goes to the app itself, with the
    client's session cookie."""
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    builder = EnvironBuilder(path=url, method="POST",
                             headers={"Cookie": f"{cookie.key}={cookie.value}"},
                             data={**fields, "file": (io.BytesIO(TOO_LARGE), "big.pdf")})
    environ = builder.get_environ()
    assert int(environ["CONTENT_LENGTH"]) > limits.UPLOAD_MAX_BYTES + 1024 * 1024
    try:
        if not chunked:
            response = client.open(environ)
            response.close()
            return response
        del environ["CONTENT_LENGTH"]
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = True
        body, status, headers = run_wsgi_app(client.application, environ, buffered=True)
        response = Response(b"".join(body), status=status, headers=headers)
        return response
    finally:
        environ["wsgi.input"].close()
        builder.close()


# Werkzeug's multipart parser leaves the file it was spooling when the limit stopped it to the
# garbage collector (closed there, a ResourceWarning): its own, not the portal's.
CHUNKED = pytest.param(True, id="chunked", marks=[
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")])


@pytest.mark.parametrize("chunked", [pytest.param(False, id="content-length"), CHUNKED])
@pytest.mark.parametrize("step", STEPS)
def test_a_file_over_the_limit_comes_back_to_its_step_with_the_error_at_the_field(
        app, client, step, chunked):
    url, fields = STEPS[step](client)
    before = client.get(f"{url}?lang=en").get_data(as_text=True)
    response = _send(client, f"{url}?lang=en", fields, chunked)
    assert response.status_code == 303
    assert response.location == f"{url}?lang=en"
    page = client.get(response.location)
    assert page.status_code == 200
    check_page(page, "en")
    body = page.get_data(as_text=True)
    # At the file field (its error paragraph), and in the summary that links to it.
    assert f'id="file-error"><span class="vh">Error:</span> {MESSAGE}' in body
    assert 'href="#file"' in body
    if step == "conclusion":  # the file attached before is still there
        assert "first.pdf" in body and "first.pdf" in before
    # Said once: the next look at the step is clean.
    assert MESSAGE not in client.get(f"{url}?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
def test_the_too_large_error_is_translated(app, client, lang):
    url, fields = _conclusion_step(client)
    response = _send(client, url, fields, chunked=False)
    page = client.get(f"{response.location}?lang={lang}")
    check_page(page, lang)
    assert 'class="error" id="file-error"' in page.get_data(as_text=True)


def test_a_too_large_body_elsewhere_is_the_translated_413_page(app, client):
    sign_in(client, "no_housing")
    response = client.post("/housing/new?lang=en", data={"x": "y" * (7 * 1024 * 1024)})
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
