"""The kiosk speaks (EN 301 549 §5.1.3), in Debian's Chromium at 1080 x 1920: a residence journey
by the keypad alone, each step read aloud (its audio fetched, Ogg Opus of a plausible length for
its words, in the page's language) and each option chosen by its spoken number."""

from __future__ import annotations

import re
import shutil
import struct

import pytest
import sqlalchemy as sa

from tests.browser import test_kiosk as kiosk_tests
from tests.browser.test_kiosk import (
    PEOPLE,
    PORTRAIT,
    in_app,
    newest_code,
    sign_in_by_touch,
    start_residence,
    tap_field,
    type_on_pad,
)

# The kiosk fixtures of test_kiosk.py: an enrolled kiosk on its own server and database.
seeded_file, kiosk_app, kiosk_server, kiosk_page, idle_times = (
    kiosk_tests.seeded_file, kiosk_tests.kiosk_app, kiosk_tests.kiosk_server,
    kiosk_tests.kiosk_page, kiosk_tests.idle_times)

pytestmark = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("opusenc")), reason="make speech")
SPEECH = re.compile(r"/kiosk/speech/(\w{32})\.opus$")


@pytest.fixture(autouse=True)
def speech_cache(kiosk_app, tmp_path):
    kiosk_app.config["KIOSK_SPEECH_DIR"] = str(tmp_path / "speech")


def opus_seconds(data: bytes) -> float:
    """An Ogg Opus file's length: the last page's granule position less the pre-skip."""
    assert data[:4] == b"OggS" and data[28:36] == b"OpusHead"
    pre_skip = struct.unpack_from("<H", data, 28 + 10)[0]
    last = data.rfind(b"OggS")
    granule = struct.unpack_from("<q", data, last + 6)[0]
    return (granule - pre_skip) / 48_000


def listen(page, app, lang: str, control: str = "#kiosk-listen") -> str:
    """Tap Listen; the page's audio is fetched and sounds like its words. Returns the words."""
    with page.expect_response(lambda r: SPEECH.search(r.url)) as answer:
        page.locator(control).tap()
    response = answer.value
    assert response.status in (200, 206) and response.headers["content-type"] == "audio/ogg"
    assert "immutable" in response.headers["cache-control"]
    from kiosk.models import KioskSpeech

    key = SPEECH.search(response.url).group(1)
    row = in_app(app, lambda db: db.session.execute(
        sa.select(KioskSpeech.text, KioskSpeech.lang).where(KioskSpeech.key == key)).one())
    assert row.lang == lang
    seconds = opus_seconds(page.request.get(response.url).body())
    # espeak-ng at 150 words a minute says about 12-15 characters a second.
    assert len(row.text) / 30 < seconds < len(row.text) / 5 + 2, (seconds, row.text)
    return row.text


def answer_by_number(page, number: int | None) -> None:
    pad = page.locator(".kiosk-pad-answers:not([hidden])")
    pad.wait_for()
    if number is not None:
        pad.locator(f'.key[data-key="{number}"]').tap()
    pad.locator('.key[data-key="OK"]').tap()


def test_a_residence_journey_read_aloud_and_answered_on_the_keypad(kiosk_page, kiosk_app,
                                                                    watch_console):
    page = kiosk_page
    assert page.viewport_size == PORTRAIT
    problems = watch_console(page)
    page.locator('#kiosk-attract a[lang="ru"]').tap()
    page.wait_for_url("**/kiosk/services?lang=ru")
    first = page.evaluate("() => document.body.querySelector('button, a').id")
    assert first == "kiosk-listen"  # first in the reading order
    assert "Выберите услугу" in listen(page, kiosk_app, "ru")
    person = PEOPLE["owner_self"]
    sign_in_by_touch(page, kiosk_app, person)
    start_residence(page)

    words = listen(page, kiosk_app, "ru")  # who: the visitor's own name as initials only
    assert "1:" in words and person["iin"] not in words
    assert not [part for part in person["name"].split() if part in words]
    answer_by_number(page, 1)
    page.wait_for_url("**/address")

    tap_field(page, "#q")
    with page.expect_response(lambda r: "/address?q=" in r.url and
                              r.headers.get("x-kiosk-speech")):
        type_on_pad(page, "абай 150")
    page.locator("#results input[name=address_id]").first.wait_for()
    words = listen(page, kiosk_app, "ru", ".kiosk-pad .key-listen")  # from the keyboard
    labels = page.locator("#results .radio").all_inner_texts()
    flat = next(i for i, text in enumerate(labels, 1) if re.search(r"\b12\b", text))
    assert f"{flat}: {labels[flat - 1].strip()}".replace(" ,", ",")[:12] in words
    page.locator(".kiosk-pad .key-close").tap()
    page.locator("#kiosk-listen").tap()  # the same words again: from the browser's cache
    answer_by_number(page, flat)
    page.wait_for_url("**/path")

    listen(page, kiosk_app, "ru")
    answer_by_number(page, None)
    page.wait_for_url("**/reason")
    listen(page, kiosk_app, "ru")
    answer_by_number(page, 1)
    page.wait_for_url("**/check")
    listen(page, kiosk_app, "ru")
    answer_by_number(page, None)
    page.wait_for_url("**/sign")
    listen(page, kiosk_app, "ru")
    tap_field(page, 'input[name="code"]')
    type_on_pad(page, newest_code(kiosk_app, person["phone"]))
    page.locator('main form[action$="/submit"] button.button').tap()
    page.wait_for_url("**/done")
    listen(page, kiosk_app, "ru")
    assert page.locator("#kiosk-listen").get_attribute("aria-pressed") == "true"
    page.locator("header form[action$='/kiosk/finish'] button").tap()
    page.wait_for_url("**/kiosk/")
    assert page.locator("#kiosk-listen").get_attribute("aria-pressed") in (None, "false")
    assert problems == []
