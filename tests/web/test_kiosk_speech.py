"""The kiosk speaks (EN 301 549 §5.1.3): every kiosk page's Listen control says the page's own
words, in its language, with no personal data said in full, as cached Ogg Opus audio."""

from __future__ import annotations

import re
import shutil

import pytest
import sqlalchemy as sa

from demo_registries.seed import DEMO_PEOPLE
from kiosk import speech
from kiosk.models import KioskSpeech
from portal.extensions import db
from tests.conftest import _base_config, _database_url
from tests.web.helpers import iin, new_draft, pick_address, sign_in
from tests.web.test_kiosk import enrol

PEOPLE = {p["key"]: p for p in DEMO_PEOPLE}
needs_engine = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("opusenc")),
    reason="espeak-ng and opusenc are installed by `make speech` (make test, make run)")
SPEECH_URL = re.compile(r'id="kiosk-listen"[^>]*data-kiosk-speech="(/kiosk/speech/(\w+)\.opus)"')


@pytest.fixture
def app_config(tmp_path, clock):
    config = _base_config(_database_url(tmp_path), clock)
    config["KIOSK_SPEECH_DIR"] = str(tmp_path / "speech")
    return config


@pytest.fixture
def kiosk_client(seeded, client, runner):
    enrol(client, runner)
    return client


def _visible_words(html: str) -> set[str]:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    return set(re.findall(r"\w+", text.replace("&nbsp;", " ")))


def _spoken(client, response) -> KioskSpeech:
    html = response.get_data(as_text=True)
    found = SPEECH_URL.search(html) if "HX-Request" not in (response.request.headers or {}) \
        else None
    url = found.group(1) if found else response.headers.get("X-Kiosk-Speech")
    assert url, html[:300]
    key = url.rsplit("/", 1)[1].removesuffix(".opus")
    return db.session.execute(sa.select(KioskSpeech).where(KioskSpeech.key == key)).scalar_one()


def _kiosk_pages(client, lang):
    """Each kiosk step of a residence journey, with its errors, as the visitor meets them."""
    yield "services", client.get(f"/kiosk/services?lang={lang}")
    yield "status with an error", client.post("/kiosk/status", data={"number": "", "iin": "1"})
    sign_in(client, "owner_self")
    base = new_draft(client)
    yield "who", client.get(f"{base}/who")
    yield "who with an error", client.post(f"{base}/who", data={})
    assert client.post(f"{base}/who", data={"person": iin("owner_self")}).status_code == 303
    yield "address", client.get(f"{base}/address")
    yield "address results", client.get(f"{base}/address?q=Абай 150",
                                        headers={"HX-Request": "true"})
    assert pick_address(client, base, "Абай 150 12").status_code == 303
    yield "path", client.get(f"{base}/path")
    assert client.post(f"{base}/path").status_code == 303
    yield "reason with an error", client.post(f"{base}/reason", data={})
    assert client.post(f"{base}/reason", data={"reason": "moved"}).status_code == 303
    yield "check", client.get(f"{base}/check")


@needs_engine
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_spoken_words_are_the_pages_own_and_say_no_personal_data(kiosk_client, lang):
    kiosk_client.get(f"/kiosk/services?lang={lang}")
    person = PEOPLE["owner_self"]
    private = {person["iin"], person["phone"], *person["name"].split()}
    for name, response in _kiosk_pages(kiosk_client, lang):
        assert response.status_code in (200, 400, 422), name
        row = _spoken(kiosk_client, response)
        assert row.lang == lang, name
        words = set(re.findall(r"\w+", row.text)) - set("0123456789")
        initials = {w for w in words if len(w) == 1}
        missing = words - initials - _visible_words(response.get_data(as_text=True))
        assert not missing, f"{name}: spoken but not on the page: {missing}"
        assert not [p for p in private if p in row.text], f"{name}: {row.text}"
        if "error" in name:
            page_error = re.search(r'class="error"[^>]*>.*?</span>\s*([^<]+)<',
                                   response.get_data(as_text=True), re.S)
            assert page_error and page_error.group(1).strip() in row.text, name


@needs_engine
def test_options_are_numbered_in_page_order_and_names_said_as_initials(kiosk_client):
    kiosk_client.get("/kiosk/services?lang=ru")
    sign_in(kiosk_client, "owner_self")
    response = kiosk_client.get(f"{new_draft(kiosk_client)}/who")
    text = _spoken(kiosk_client, response).text
    initials = " ".join(w[0] + "." for w in PEOPLE["owner_self"]["name"].split())
    assert re.search(rf"\b1: [^:]+: {re.escape(initials)}", text), text


def test_the_words_are_read_out_of_the_marked_page():
    html = ('<header><h1>Not spoken</h1></header><main><p class="steps" data-speak>Step 1 of 5'
            '</p><div class="error-summary"><h2>There is a problem</h2><ul><li>Choose one</li>'
            '</ul></div><fieldset><legend><h1>Who?</h1></legend><p class="hint">hint</p>'
            '<div class="radio"><input type="radio"><label>Myself: <span data-speak-private>'
            'Асқар Жұмабаев</span></label></div><div class="radio" hidden><label>Gone</label>'
            '</div><div class="radio"><label>Ward Ә****** Б.</label></div></fieldset>'
            '<p class="notice">IIN 850314300123, code 123456</p>'
            '<div data-speak="off"><label>Muted</label></div></main><footer>1414</footer>')
    assert speech.spoken_text(html) == (
        "Step 1 of 5. There is a problem Choose one. Who? 1: Myself: А. Ж. 2: Ward Ә. Б. "
        "IIN, code.")


@needs_engine
def test_the_audio_is_opus_made_once_and_cached_for_a_year(kiosk_client, app, tmp_path):
    page = kiosk_client.get("/kiosk/services?lang=kk")
    url = SPEECH_URL.search(page.get_data(as_text=True)).group(1)
    first = kiosk_client.get(url)
    assert first.status_code == 200 and first.mimetype == "audio/ogg"
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first.data[:4] == b"OggS" and b"OpusHead" in first.data[:100]
    first.close()
    # Another app server (its own disk) makes the same bytes from the words in the database.
    app.config["KIOSK_SPEECH_DIR"] = str(tmp_path / "other-server")
    again = kiosk_client.get(url)
    assert again.data == first.data
    again.close()
    assert kiosk_client.get("/kiosk/speech/" + "0" * 32 + ".opus").status_code == 404
    assert kiosk_client.get("/kiosk/speech/..%2Fsecret_key.opus").status_code == 404


def test_without_the_engine_the_portal_works_with_no_listen_control(kiosk_client, monkeypatch):
    monkeypatch.setattr(speech, "engine_available", lambda: False)
    page = kiosk_client.get("/kiosk/services?lang=ru")
    assert page.status_code == 200 and 'id="kiosk-listen"' not in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KioskSpeech)) == 0
