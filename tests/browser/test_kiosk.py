"""The kiosk in a ЦОН hall, in Debian's Chromium at both kiosk sizes, by touch alone.

The portal runs in its own server here, one per test on its own copy of a seeded database:
idle times are changed between tests, and one test's visitor must not meet another's. Codes
are read from the outbox table, as the visitor reads them from their phone; every character is
typed by tapping the on-screen keypad or keyboard (no fill() on the page's inputs). Everything a
finger touches is at least 64 x 64 px."""

from __future__ import annotations

import re
import shutil
import threading

import pytest
import sqlalchemy as sa

from demo_registries.seed import DEMO_PEOPLE

PEOPLE = {p["key"]: p for p in DEMO_PEOPLE}
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
KIOSK_NAME = "ЦОН Алматы, Бостандық №1"


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory):
    """The demo registries seeded once; each test gets its own copy (its own state)."""
    from demo_registries.seed import seed_demo
    from portal import create_app
    from portal.extensions import db

    path = tmp_path_factory.mktemp("kiosk") / "template.db"
    app = create_app(_config(path))
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.remove()
        db.engine.dispose()
    return path


def _config(path) -> dict:
    return {
        "TESTING": True, "ENV_NAME": "test", "SECRET_KEY": "kiosk-browser-test-secret-key-0123",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "DEMO_MODE": True,
        "PUBLIC_URL": "http://127.0.0.1", "SMS_BACKEND": "outbox", "SMS_SEND_IN_REQUEST": True,
        "RATELIMIT_STORAGE_URI": "memory://", "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": True,
    }


@pytest.fixture
def kiosk_app(seeded_file, tmp_path):
    from portal import create_app
    from portal.extensions import db

    path = tmp_path / "kiosk.db"
    shutil.copyfile(seeded_file, path)
    app = create_app(_config(path))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def kiosk_server(kiosk_app):
    from werkzeug.serving import make_server

    from tests.support.live_server import closing_every_response

    server = make_server("127.0.0.1", 0, closing_every_response(kiosk_app), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    kiosk_app.config["PUBLIC_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(autouse=True)
def idle_times(kiosk_app):
    from portal.extensions import limiter

    limiter.reset()
    kiosk_app.config.update(KIOSK_IDLE_WARN_SECONDS=60, KIOSK_IDLE_RESET_SECONDS=90)
    yield kiosk_app.config


def in_app(app, work):
    from portal.extensions import db

    with app.app_context():
        try:
            return work(db)
        finally:
            db.session.remove()


def enrolment_token(app) -> str:
    from kiosk import devices

    return in_app(app, lambda db: devices.add(KIOSK_NAME)[1])


def newest_code(app, phone: str) -> str:
    from portal.core.models import SmsMessage

    def read(db):
        body = db.session.scalars(sa.select(SmsMessage.body).where(SmsMessage.phone == phone)
                                  .order_by(SmsMessage.id.desc())).first()
        return re.search(r"\b(\d{6})\b", body).group(1)

    return in_app(app, read)


@pytest.fixture
def kiosk_page(browser, kiosk_server, kiosk_app, request):
    """An enrolled kiosk: a touch screen at the size the test asks for (portrait by default)."""
    size = getattr(request, "param", PORTRAIT)
    context = browser.new_context(viewport=size, has_touch=True, locale="ru-RU",
                                  base_url=kiosk_server)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"/kiosk/enrol/{enrolment_token(kiosk_app)}")
    page.locator("main form button").tap()
    page.wait_for_url("**/kiosk/")
    yield page
    context.close()


SMALL_TARGETS_JS = """() => [...document.querySelectorAll(
    'main a, main button, main input, main select, header a, header button, .kiosk-pad button')]
  .filter(el => el.offsetParent !== null && el.type !== 'hidden')
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([, r]) => r.height < 64 || r.width < 64)
  .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def small_touch_targets(page) -> list[str]:
    """Everything a finger can touch, smaller than 64 x 64 px (DESIGN.md: kiosk >= 64 px)."""
    return page.evaluate(SMALL_TARGETS_JS)


def type_on_pad(page, text: str) -> None:
    for ch in text:
        key = "SPACE" if ch == " " else ch.upper()
        page.locator(f'.kiosk-pad:not([hidden]) .key[data-key="{key}"]').tap()


def tap_field(page, selector: str) -> None:
    page.locator(selector).tap()
    page.locator(".kiosk-pad:not([hidden])").wait_for()


def sign_in_by_touch(page, app, person) -> None:
    page.locator('main a[href^="/sign-in"]').tap()
    page.wait_for_url(re.compile(r"/sign-in(\?|$)"))
    tap_field(page, 'input[name="iin"]')
    type_on_pad(page, person["iin"])
    assert page.locator('input[name="iin"]').input_value() == person["iin"]
    page.locator('main form[action$="/sign-in"] button').tap()
    page.wait_for_url("**/sign-in/code")
    tap_field(page, 'input[name="code"]')
    type_on_pad(page, newest_code(app, person["phone"]))
    page.locator('main form[action$="/sign-in/code"] button').tap()
    page.wait_for_url("**/kiosk/services")  # where "Sign in" was asked from


def start_residence(page) -> None:
    page.locator("a.brand").tap()
    page.wait_for_url("**/kiosk/services")
    page.locator('main a[href$="/residence/"]').tap()
    page.locator('main form[action$="/residence/new"] button').tap()
    page.wait_for_url("**/who")


RECEIPT_WIDTH_PT = 80 / 25.4 * 72  # 226.77 pt


def pdf_pages(pdf: bytes) -> tuple[list[float], int]:
    """The widths (pt) of the pages' MediaBoxes in a PDF Chromium wrote, and the page count.
    Chromium (Skia) writes each page object's /MediaBox uncompressed."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", pdf)
    widths = [float(x1) - float(x0) for x0, _y0, x1, _y1 in boxes]
    return widths, len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.parametrize("kiosk_page", [PORTRAIT, LANDSCAPE], indirect=True,
                         ids=["portrait", "landscape"])
def test_a_whole_registration_by_touch_with_a_printed_receipt(kiosk_page, kiosk_app,
                                                              assert_accessible, screenshot,
                                                              watch_console):
    page = kiosk_page
    problems = watch_console(page)
    size = "portrait" if page.viewport_size["height"] > page.viewport_size["width"] else "landscape"
    assert_accessible(page, "attract screen")
    screenshot(page, f"kiosk-{size}-attract")
    page.locator('#kiosk-attract a[lang="ru"]').tap()
    page.wait_for_url("**/kiosk/services?lang=ru")
    assert_accessible(page, "services")
    assert small_touch_targets(page) == []
    person = PEOPLE["owner_self"]
    sign_in_by_touch(page, kiosk_app, person)
    start_residence(page)
    page.locator("#person input[type=radio]").first.tap()
    page.locator("main form button.button").tap()
    page.wait_for_url("**/address")
    tap_field(page, "#q")
    screenshot(page, f"kiosk-{size}-keyboard")
    assert small_touch_targets(page) == []
    assert_accessible(page, "address with the keyboard open")
    type_on_pad(page, "абай 150")
    page.locator("#results input[name=address_id]").first.wait_for()
    page.locator(".kiosk-pad .key-close").tap()
    flat = page.locator("#results .radio", has_text=re.compile(r"\b12\b")).first
    flat.locator("input").tap()
    page.locator("#results button").tap()
    page.wait_for_url("**/path")
    page.locator("main form button.button").tap()
    page.wait_for_url("**/reason")
    page.locator("main input[type=radio]").first.tap()
    page.locator("main form button.button").tap()
    page.wait_for_url("**/check")
    page.locator("main form button.button").tap()
    page.wait_for_url("**/sign")
    tap_field(page, 'input[name="code"]')
    type_on_pad(page, newest_code(kiosk_app, person["phone"]))
    page.locator('main form[action$="/submit"] button.button').tap()
    page.wait_for_url("**/done")
    number = page.locator(".number").inner_text().strip()
    page.locator('a[href*="/kiosk/receipt/"]').tap()
    page.wait_for_url("**/kiosk/receipt/*")
    receipt = page.locator(".receipt")
    assert number in receipt.inner_text() and KIOSK_NAME in receipt.inner_text()
    assert_accessible(page, "receipt")
    # Printed as the kiosk prints it (--kiosk-printing uses the page's CSS size): 80 mm wide,
    # one page, not US Letter (`size: 80mm auto` was invalid and ignored).
    widths, pages = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=False))
    assert pages == 1 and widths == [pytest.approx(RECEIPT_WIDTH_PT, abs=0.5)]
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 302, "height": 900})  # 80 mm at 96 dpi
    shot = screenshot(page, f"kiosk-{size}-receipt-80mm")
    assert shot.exists()
    assert receipt.bounding_box()["width"] <= 302
    assert problems == []


def test_idle_warning_then_reset_leaves_nothing_behind(kiosk_page, kiosk_app, idle_times,
                                                       screenshot):
    idle_times.update(KIOSK_IDLE_WARN_SECONDS=2, KIOSK_IDLE_RESET_SECONDS=5)
    page = kiosk_page
    page.locator('#kiosk-attract a[lang="en"]').tap()
    person = PEOPLE["owner_self"]
    sign_in_by_touch(page, kiosk_app, person)
    start_residence(page)
    draft_url = page.url
    dialog = page.locator("#kiosk-idle")
    dialog.wait_for(state="visible", timeout=6_000)
    assert "still there" in dialog.inner_text()
    screenshot(page, "kiosk-idle-warning")
    page.locator("#kiosk-stay").tap()  # a touch keeps the visit
    assert dialog.is_hidden()
    dialog.wait_for(state="visible", timeout=6_000)
    page.wait_for_url("**/kiosk/", timeout=10_000)  # nobody touched: reset
    assert page.locator("#kiosk-attract").is_visible()

    from portal.core.models import Application, AppStatus

    left = in_app(kiosk_app, lambda db: db.session.scalar(sa.select(sa.func.count()).where(
        Application.applicant_iin == person["iin"], Application.status == AppStatus.DRAFT)))
    assert left == 0
    for _ in range(3):  # Back, as the next visitor might: nobody is signed in any more
        page.go_back()
        html = page.content()
        assert person["iin"] not in html and "Асқар" not in html
        assert page.locator('a[href$="/cabinet"]').count() == 0
    page.goto(draft_url)
    assert "/sign-in" in page.url


def test_finish_ends_the_visit_at_once(kiosk_page, kiosk_app):
    page = kiosk_page
    page.locator('#kiosk-attract a[lang="kk"]').tap()
    sign_in_by_touch(page, kiosk_app, PEOPLE["owner_self"])
    page.locator("header form[action$='/kiosk/finish'] button").tap()
    page.wait_for_url("**/kiosk/")
    page.goto("/cabinet")
    assert "/sign-in" in page.url


def test_the_screen_forgets_the_visitor_when_the_network_is_down(kiosk_page, kiosk_app,
                                                                 idle_times):
    page = kiosk_page
    page.locator('#kiosk-attract a[lang="ru"]').tap()
    person = PEOPLE["owner_self"]
    sign_in_by_touch(page, kiosk_app, person)
    # Short idle times only now (a page takes them when rendered): set before the sign-in, a
    # slow machine's pad typing outlasted them and the screen reset mid-sign-in.
    idle_times.update(KIOSK_IDLE_WARN_SECONDS=1, KIOSK_IDLE_RESET_SECONDS=3)
    page.reload()
    page.locator('a[href$="/cabinet"]').first.wait_for()  # still signed in: "My applications"
    page.context.set_offline(True)
    page.locator(".kiosk-offline").wait_for(timeout=8_000)
    assert "Асқар" not in page.content() and person["iin"] not in page.content()
    page.context.set_offline(False)
    page.wait_for_url("**/kiosk/", timeout=10_000)
    page.locator("#kiosk-attract").wait_for()
    page.goto("/cabinet")
    assert "/sign-in" in page.url


def test_unenrolled_and_revoked_kiosks_are_refused(browser, kiosk_server, kiosk_page, kiosk_app):
    stranger = browser.new_context(base_url=kiosk_server)
    page = stranger.new_page()
    response = page.goto("/kiosk/")
    assert response.status == 403 and "kiosk" in page.content().lower()
    stranger.close()

    from kiosk import devices
    from kiosk.models import KioskDevice

    def revoke_newest(db):
        newest = db.session.scalars(sa.select(KioskDevice).order_by(KioskDevice.id.desc())).first()
        devices.revoke(newest.id)

    in_app(kiosk_app, revoke_newest)
    response = kiosk_page.goto("/kiosk/services")
    assert response.status == 403


def _residence_to_the_code_page(page) -> None:
    """who -> address -> path -> reason -> check -> "Sign": the SMS code is sent."""
    page.locator("#person input[type=radio]").first.tap()
    page.locator("main form button.button").tap()
    page.wait_for_url("**/address")
    tap_field(page, "#q")
    type_on_pad(page, "абай 150")
    page.locator("#results input[name=address_id]").first.wait_for()
    page.locator(".kiosk-pad .key-close").tap()
    page.locator("#results .radio", has_text=re.compile(r"\b12\b")).first.locator("input").tap()
    page.locator("#results button").tap()
    page.wait_for_url("**/path")
    page.locator("main form button.button").tap()
    page.wait_for_url("**/reason")
    page.locator("main input[type=radio]").first.tap()
    page.locator("main form button.button").tap()
    page.wait_for_url("**/check")
    page.locator("main form button.button").tap()
    page.wait_for_url("**/sign")


def test_a_visitor_who_walks_away_at_the_code_page_leaves_nothing_to_the_next(
        kiosk_page, kiosk_app, idle_times, screenshot):
    """The draft holds a signing code by then; the reset still ends the visit and erases it."""
    page = kiosk_page
    assert page.viewport_size == PORTRAIT  # 1080 x 1920
    page.locator('#kiosk-attract a[lang="ru"]').tap()
    person = PEOPLE["owner_self"]
    sign_in_by_touch(page, kiosk_app, person)
    start_residence(page)
    _residence_to_the_code_page(page)
    draft_id = int(page.url.rsplit("/", 2)[-2])
    idle_times.update(KIOSK_IDLE_WARN_SECONDS=1, KIOSK_IDLE_RESET_SECONDS=3)
    page.reload()  # the page reads the short idle times; then nobody touches it
    page.wait_for_url("**/kiosk/", timeout=10_000)
    page.locator("#kiosk-attract").wait_for()
    screenshot(page, "kiosk-portrait-after-walking-away")

    from portal.core.models import Application, OneTimeCode

    def left(db):
        return (db.session.get(Application, draft_id),
                db.session.scalar(sa.select(sa.func.count()).select_from(OneTimeCode).where(
                    OneTimeCode.application_id == draft_id)))

    assert in_app(kiosk_app, left) == (None, 0)
    page.goto("/cabinet")  # the next visitor
    assert "/sign-in" in page.url
    assert person["iin"] not in page.content() and "Асқар" not in page.content()
