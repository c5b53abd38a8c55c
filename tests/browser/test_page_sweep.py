"""Every page of every journey in Chromium, in kk, ru and en: the citizen's and the office's at
320 x 640 (the narrowest phone), the kiosk's at 1080 x 1920. Each page fails on sideways scroll
(the document wider than the screen), on a touch target smaller than 44 x 44 px (64 x 64 px at
the kiosk; DESIGN.md), and on axe-core's WCAG A/AA violations. Screenshots of every page are kept
in test-artifacts/screenshots/sweep-*.png.

The states are built through the test client on the server's own database (tests/web/crawl.py),
not by walking the journeys in the browser; the browser takes over the visitor's cookies. One
browser context per language."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.web.crawl import citizen_groups, kiosk_groups, office_groups, with_lang

NARROW = {"width": 320, "height": 640}
KIOSK = {"width": 1080, "height": 1920}
LANGS = ("kk", "ru", "en")

# Everything a finger can touch. A radio or checkbox is touched by its label; a link inside a
# sentence is exempt (WCAG 2.5.8's inline exception), a link standing alone is not.
CHECK_JS = """(least) => {
  const problems = [];
  const width = window.innerWidth;
  const doc = document.documentElement;
  if (doc.scrollWidth > width) {
    const wide = [...document.querySelectorAll('body *')].filter(el => {
      const r = el.getBoundingClientRect();
      return r.right > width + 0.5 && r.width > 0 && el.offsetParent !== null;
    }).slice(-3).map(el => el.outerHTML.slice(0, 100));
    problems.push(`sideways scroll: ${doc.scrollWidth} px on a ${width} px screen: ${wide}`);
  }
  const shown = el => {
    const style = getComputedStyle(el);
    return (el.offsetParent !== null || style.position === 'fixed')
      && style.visibility !== 'hidden';
  };
  const inSentence = el => {
    const parent = el.parentElement;
    if (!parent || getComputedStyle(el).display !== 'inline') return false;
    return parent.textContent.trim().length > el.textContent.trim().length + 2;
  };
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary');
  for (const el of targets) {
    if (!shown(el) || el.closest('.skip, [hidden], [inert]')) continue;
    let box = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      box = (el.labels && el.labels[0]) || el;
    } else if (el.tagName === 'A' && inSentence(el)) {
      continue;
    }
    const r = box.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // visually hidden (.vh)
    if (Math.round(r.height) < least || Math.round(r.width) < least) {
      const text = (box.textContent || box.value || box.name || '').trim().replace(/\\s+/g, ' ');
      problems.push(`touch target ${Math.round(r.width)}x${Math.round(r.height)} px ` +
                    `< ${least}: <${box.tagName.toLowerCase()}> "${text.slice(0, 40)}"`);
    }
  }
  return problems;
}"""


@pytest.fixture
def builder(live_app, live_app_config, tmp_path):
    """The server's database, written through the test client (CSRF off, as tests/web)."""
    from portal import create_app

    app = create_app({**live_app_config, "WTF_CSRF_ENABLED": False,
                      "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads")})
    live_app.config["HOUSING_UPLOAD_DIR"] = app.config["HOUSING_UPLOAD_DIR"]
    with app.app_context():
        yield app


def cookies_of(client, base_url: str) -> list[dict]:
    from kiosk.routes import DEVICE_COOKIE
    from portal.housing.office.staff.access import COOKIE, COOKIE_PATH

    found = []
    for name, path in (("mk_session", "/"), (DEVICE_COOKIE, "/"), (COOKIE, COOKIE_PATH)):
        cookie = client.get_cookie(name, path=path)
        if cookie is not None:
            found.append({"name": name, "value": cookie.value, "url": base_url + path})
    return found


def slug(url: str) -> str:
    parts = urlsplit(url)
    segments = ["N" if part.isdigit() else "T" if len(part) >= 16
                and not part.replace("-", "").isalpha() else part
                for part in parts.path.strip("/").split("/")]
    path = "-".join(segments) or "home"
    query = re.sub(r"&?lang=\w+", "", parts.query)
    return path + (f"-{query}" if query else "")


def sweep(page, groups, lang, size_name, least, live_server, axe_violations, screenshot):
    """Visit every page of `groups` as each group's visitor; return the problems found."""
    problems = []
    for client, paths in groups:
        page.context.clear_cookies()
        page.context.add_cookies(cookies_of(client, live_server))
        for path in paths:
            url = with_lang(path, lang)
            response = page.goto(url, wait_until="load")
            where = f"{url} ({size_name}, {lang})"
            if response is None or response.status >= 500:
                problems.append(f"{where}: status {response and response.status}")
                continue
            screenshot(page, f"sweep-{size_name}-{lang}-{slug(url)}")
            problems += [f"{where}: {p}" for p in page.evaluate(CHECK_JS, least)]
            problems += [f"{where}: axe {v['id']} ({v['impact']}): {v['help']} -> "
                         f"{', '.join(v['targets'][:3])}" for v in axe_violations(page)]
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_every_citizen_page_fits_320_px_with_44_px_targets(
        builder, new_context, live_server, lang, axe_violations, screenshot, tmp_path):
    groups = citizen_groups(builder, tmp_path)
    page = new_context(locale=f"{lang}-KZ", viewport=NARROW).new_page()
    problems = sweep(page, groups, lang, "320", 44, live_server, axe_violations, screenshot)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_every_kiosk_page_fits_the_kiosk_with_64_px_targets(
        builder, new_context, live_server, lang, axe_violations, screenshot, tmp_path):
    groups = kiosk_groups(builder, tmp_path)
    page = new_context(locale=f"{lang}-KZ", viewport=KIOSK, has_touch=True).new_page()
    problems = sweep(page, groups, lang, "kiosk", 64, live_server, axe_violations, screenshot)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_every_office_page_fits_320_px_with_44_px_targets(
        builder, new_context, live_server, lang, axe_violations, screenshot):
    groups = office_groups(builder)
    page = new_context(locale=f"{lang}-KZ", viewport=NARROW).new_page()
    problems = sweep(page, groups, lang, "320", 44, live_server, axe_violations, screenshot)
    assert not problems, "\n".join(problems)
