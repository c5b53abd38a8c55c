"""Real-browser tests: the portal served by a real HTTP server, driven in Debian's Chromium.

Fixtures (each test has its own server, database and clock: nothing leaks between tests)
- live_server (function): base URL ("http://127.0.0.1:PORT") of the app on the test's own copy
  of a seeded SQLite file (built once per session), demo mode on, real CSRF, rate limits on
  and their counters fresh.
- live_clock (function): the FrozenClock that this test's server uses; it starts at the real
  now(). advance() it to test time rules (consent hour, code lifetimes).
- live_app (function): the Flask app behind live_server, for checks in an app context.
- browser (session): Chromium via Playwright's sync API.
- new_context (function): factory for independent people (applicant, owner, ...):
  new_context(locale="ru-RU", java_script_enabled=False, ...) -> BrowserContext, 360x740,
  base_url = live_server, so page.goto("/sign-in") works. Closed after the test.
- phone_page (function): a page in a new 360x740 context, locale kk-KZ.

Helpers, also fixtures of the same names (ask for them as test arguments):
- axe_violations(page) -> list of {"id", "impact", "help", "targets"} for WCAG 2.x A/AA rules.
- screenshot(page, name) -> Path of test-artifacts/screenshots/<name>.png (full page).
- assert_accessible(page, label="") fails the test listing axe's violations, if any.
- watch_console(page) -> list that fills with CSP violations, console errors and uncaught
  page errors.

Every test in this folder is marked `browser`. When Chromium or axe-core is missing the tests
fail (never skip): `make test` installs both.
"""

from __future__ import annotations

import re
import shutil
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no network beyond localhost: keep Chromium from calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEFAULT_TIMEOUT_MS = 15_000

# Contexts made with java_script_enabled=False: page.evaluate() would wait forever in them.
_NO_JAVASCRIPT: weakref.WeakSet = weakref.WeakSet()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


# --- The server -----------------------------------------------------------------------------
# Each test has its own server, database and clock, so SMS caps, rate limits, drafts and clock
# moves never leak from one test into the next. The seeded database is built once per session
# (per xdist worker) and copied for each test; a werkzeug server on port 0 starts in ~0.1 s.


def _server_config(database_url: str, clock) -> dict:
    """Same shape as tests/conftest.py's app_config, for a server that browsers talk to."""
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "browser-test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DEMO_MODE": True,
        "PUBLIC_URL": "http://127.0.0.1",  # fixed up with the real port once it is known
        "SMS_BACKEND": "outbox",
        "SMS_SEND_IN_REQUEST": True,
        "SMS_INBOUND_SECRET": "test-inbound-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Not RATELIMIT_ENABLED=False: Flask-Limiter keeps `enabled` on its one global Limiter,
        # so that would switch rate limits off (and break limiter.reset()) for every app built
        # later in the session. Counters are reset for each test's server instead.
        "RATELIMIT_ENABLED": True,
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": True,  # browsers send the real tokens
        "CLOCK": clock,
    }


def _now():
    from portal.clock import FrozenClock
    from tests.support import office_hours

    return FrozenClock(office_hours.now().replace(microsecond=0))


@pytest.fixture(scope="session")
def _seeded_database(tmp_path_factory) -> Path:
    """The demo registries in a SQLite file, built once; each test's server gets a copy."""
    import sqlalchemy as sa

    from demo_registries.seed import seed_demo
    from portal import create_app
    from portal.extensions import db

    path = tmp_path_factory.mktemp("live-template") / "seeded.db"
    app = create_app(_server_config(f"sqlite:///{path}", _now()))
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.remove()
        with db.engine.connect() as conn:  # everything into the main file, to copy it
            conn.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
            conn.execute(sa.text("PRAGMA journal_mode=DELETE"))
        db.engine.dispose()
    return path


@pytest.fixture
def live_clock():
    """This test's server clock: starts at the real now moved to 11:00 of a working day
    (tests/support/office_hours.py); advance() it to test time rules (consent hour, code
    lifetimes)."""
    return _now()


@pytest.fixture
def live_app_config(tmp_path, _seeded_database, live_clock) -> dict:
    database = tmp_path / "live.db"
    shutil.copyfile(_seeded_database, database)
    return _server_config(f"sqlite:///{database}", live_clock)


@pytest.fixture
def live_app(live_app_config):
    from portal import create_app
    from portal.extensions import db, limiter

    app = create_app(live_app_config)
    limiter.reset()  # one Limiter for the process: start this server with no counters
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    """Base URL of the app served by werkzeug in a background thread (threaded, like a browser
    needs: page, stylesheet and script requests overlap)."""
    from werkzeug.serving import make_server

    from tests.support.live_server import closing_every_response

    server = make_server("127.0.0.1", 0, closing_every_response(live_app), threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# --- The browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. Run `make test` (it installs Debian's chromium as root), or: "
            "apt-get install -y chromium fonts-liberation",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable]:
    """Factory: each call is a separate person with their own cookies."""
    contexts = []

    def make(locale: str = "kk-KZ", **options):
        options.setdefault("viewport", PHONE)
        options.setdefault("base_url", live_server)
        context = browser.new_context(locale=locale, **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        if options.get("java_script_enabled") is False:
            _NO_JAVASCRIPT.add(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(new_context):
    return new_context().new_page()


# --- Helpers --------------------------------------------------------------------------------


def axe_violations(page, tags: list[str] | None = None) -> list[dict]:
    """Run axe-core on the current document (WCAG 2.x A and AA rules) and return its
    violations. Injected through the DevTools protocol, so the page's strict CSP allows it.
    In a context with JavaScript off, axe runs on a copy of the page (see _axe_on_a_copy)."""
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS} is missing: run `make test` (npm ci fetches axe-core)", pytrace=False
        )
    if page.context in _NO_JAVASCRIPT:
        return _axe_on_a_copy(page, tags)
    return _run_axe(page, tags)


def _run_axe(page, tags: list[str] | None) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" "))}));
        }""",
        tags or WCAG_TAGS,
    )


def _axe_on_a_copy(page, tags: list[str] | None) -> list[dict]:
    """With JavaScript off, no script (axe included) can run in the page. So the HTML as the
    page shows it is served again at the same address to a fresh page with JavaScript on but
    the site's scripts blocked: same origin, stylesheet, viewport, and no htmx, as without JS.
    Nothing is requested again from the portal but the static files."""
    html = page.content()
    url = page.url
    viewport = page.viewport_size or PHONE
    context = page.context.browser.new_context(viewport=viewport)
    try:
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        copy = context.new_page()
        copy.route(
            lambda u: u.split("#")[0] == url.split("#")[0],
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
        )
        copy.route("**/*.js", lambda route: route.abort())
        copy.goto(url)
        return _run_axe(copy, tags)
    finally:
        context.close()


def format_violations(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} -> {', '.join(v['targets'][:5])}"
        for v in violations
    )


def assert_accessible(page, label: str = "") -> None:
    # After a form's POST the DOM can be there before its stylesheet: axe then measures an
    # unstyled page (touch targets too small). Checked as the visitor sees it, once loaded.
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    where = label or page.url
    assert not violations, f"axe found WCAG A/AA violations on {where}:\n" + format_violations(
        violations
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def watch_console(page) -> list[str]:
    """Collects CSP violations, console errors and uncaught exceptions of a page."""
    problems: list[str] = []

    def on_console(message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            problems.append(f"console {message.type}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


# The helpers as fixtures, so test modules need no import from this conftest.
@pytest.fixture(name="axe_violations")
def _axe_violations_fixture():
    return axe_violations


@pytest.fixture(name="assert_accessible")
def _assert_accessible_fixture():
    return assert_accessible


@pytest.fixture(name="screenshot")
def _screenshot_fixture():
    return screenshot


@pytest.fixture(name="watch_console")
def _watch_console_fixture():
    return watch_console
